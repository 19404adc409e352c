package net.reactory.workflow.bootstrap;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

import com.rabbitmq.client.ConnectionFactory;

/**
 * The RabbitMQ broker the daemon's AMQP tests talk to (DESIGN §7): {@code WORKFLOW_TEST_AMQP_URI}, else the local one.
 * Without one, a developer's run skips the test with one loud line saying how to start it; with {@code CI=true} the
 * test fails instead, so CI never passes by skipping.
 */
public final class LocalBroker {

    public static final String URI = System.getenv().getOrDefault("WORKFLOW_TEST_AMQP_URI", "amqp://guest:guest@127.0.0.1:5672");

    private LocalBroker() {
    }

    /** Returns when a broker answers at {@code uri}; otherwise fails (CI) or skips the test. */
    public static void require(String uri) {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(uri);
            factory.setConnectionTimeout(3000);
            factory.newConnection("workflow-test broker check").close();
        } catch (Exception e) {
            absent("no RabbitMQ at " + uri.replaceAll("//([^:]*):[^@]*@", "//$1:***@") + " (" + e + ")");
        }
    }

    /** The broker is not there: fails the test under {@code CI=true}, else skips it with a loud line. Never returns. */
    public static void absent(String how) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) fail("CI=true and " + how);
        System.err.println("!!!!! AMQP test SKIPPED: " + how + "; start RabbitMQ with `rabbitmq-server -detached`"
                + " (apt-get install -y rabbitmq-server) or set WORKFLOW_TEST_AMQP_URI !!!!!");
        Assumptions.abort(how);
    }
}
