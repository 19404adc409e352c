package net.reactory.workflow.adapter.amqp;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * The real RabbitMQ the AMQP integration tests run against: {@code WORKFLOW_TEST_AMQP_URI}, or guest/guest on
 * 127.0.0.1:5672. Where none answers, the tests are skipped with one loud line, except with {@code CI=true},
 * where they fail.
 */
final class RabbitBroker {

    static final String URI = System.getenv().getOrDefault("WORKFLOW_TEST_AMQP_URI", "amqp://guest:guest@127.0.0.1:5672");
    private static final String HOW_TO_START = "start one with `rabbitmq-server -detached` (install: apt-get install -y rabbitmq-server),"
            + " or point WORKFLOW_TEST_AMQP_URI at one";
    private static Boolean available;
    private static String problem;

    private RabbitBroker() {
    }

    /** Call from {@code @BeforeAll}/{@code @BeforeEach}: skips (or, on CI, fails) when no broker answers. */
    static synchronized void require() {
        if (available == null) {
            try (Connection ignored = factory().newConnection("workflow-test-probe")) {
                available = true;
            } catch (Exception e) {
                available = false;
                problem = e.toString();
                if (!ci()) {
                    System.err.println("!!!!! AMQP integration tests SKIPPED: no RabbitMQ answers at " + AmqpConfig.redact(URI)
                            + " (" + problem + "); " + HOW_TO_START + " !!!!!");
                }
            }
        }
        if (!available) {
            if (ci()) fail("CI=true and no RabbitMQ answers at " + AmqpConfig.redact(URI) + " (" + problem + "); " + HOW_TO_START);
            Assumptions.abort("no RabbitMQ at " + AmqpConfig.redact(URI));
        }
    }

    static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    static ConnectionFactory factory() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(URI);
        factory.setConnectionTimeout(3000);
        factory.setAutomaticRecoveryEnabled(true);
        factory.setTopologyRecoveryEnabled(true);
        factory.setNetworkRecoveryInterval(500);
        return factory;
    }

    static String newPrefix() {
        return "test-" + UUID.randomUUID();
    }

    static AmqpConfig config(String prefix) {
        return AmqpConfig.of(URI).withPrefix(prefix).withConnectionName("workflow-test " + prefix).withRetryBackoff(Duration.ofMillis(2));
    }

    /** Deletes every queue and exchange of the prefix, plus the given extra queues. */
    static void deleteTopology(String prefix, String... extraQueues) {
        AmqpNames names = new AmqpNames(prefix);
        List<String> queues = new ArrayList<>(List.of(names.commands(), names.deadLetters()));
        queues.addAll(List.of(extraQueues));
        try (Connection connection = factory().newConnection("workflow-test-cleanup")) {
            for (String queue : queues) {
                try (Channel ch = connection.createChannel()) {
                    ch.queueDelete(queue);
                } catch (Exception ignored) {
                    // Absent already.
                }
            }
            for (String exchange : List.of(names.events(), names.wakeup())) {
                try (Channel ch = connection.createChannel()) {
                    ch.exchangeDelete(exchange);
                } catch (Exception ignored) {
                    // Absent already.
                }
            }
        } catch (Exception e) {
            System.err.println("could not clean up the AMQP topology of " + prefix + ": " + e);
        }
    }

    // ---------------------------------------------------------------- broker control for the recovery tests

    /** rabbitmqctl is usable (a local broker we may disrupt); otherwise skipped, or failed with CI=true. */
    static void requireControl() {
        require();
        String host = java.net.URI.create(URI).getHost();
        if (!"127.0.0.1".equals(host) && !"localhost".equals(host)) {
            // rabbitmqctl would disrupt the local node, not the one the tests talk to.
            System.err.println("!!!!! AMQP recovery test SKIPPED: WORKFLOW_TEST_AMQP_URI names " + host + ", not the local broker rabbitmqctl controls !!!!!");
            Assumptions.abort("the broker under test is not local");
        }
        try {
            run("status");
        } catch (Exception e) {
            if (ci()) fail("CI=true and rabbitmqctl cannot control the broker: " + e.getMessage());
            Assumptions.abort("rabbitmqctl cannot control the broker: " + e.getMessage());
        }
    }

    static void closeAllConnections() throws Exception {
        run("close_all_connections", "workflow recovery test");
    }

    static void stopApp() throws Exception {
        run("stop_app");
    }

    static void startApp() throws Exception {
        run("start_app");
    }

    /** Blocks until a new connection succeeds, for up to two minutes. */
    static void awaitAnswering() {
        org.awaitility.Awaitility.await("RabbitMQ answering again").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions().until(() -> {
                    try (Connection ignored = factory().newConnection("workflow-test-probe")) {
                        return true;
                    }
                });
    }

    static String run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("rabbitmqctl");
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("rabbitmqctl " + String.join(" ", args) + " did not finish in 90 s");
        }
        String output = new String(process.getInputStream().readAllBytes());
        if (process.exitValue() != 0) {
            throw new IOException("rabbitmqctl " + String.join(" ", args) + " exited " + process.exitValue() + ": " + output.strip());
        }
        return output;
    }

    /** Stops a test's node and client and deletes the queues and exchanges of its prefix, whatever fails first. */
    static void closeAll(String prefix, TestNode node, TestClient client) throws Exception {
        try {
            if (node != null) node.close();
        } finally {
            if (client != null) {
                client.close();
                deleteTopology(prefix, client.queues());
            }
        }
    }
}
