package net.reactory.workflow.bootstrap.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.google.inject.Guice;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.multibindings.OptionalBinder;
import com.google.inject.name.Names;
import com.rabbitmq.client.ConnectionFactory;

import net.reactory.workflow.adapter.amqp.AmqpConfig;
import net.reactory.workflow.application.port.out.LifecycleEventPublisher;
import net.reactory.workflow.bootstrap.Daemon;
import net.reactory.workflow.bootstrap.Settings;
import net.reactory.workflow.bootstrap.http.HealthIndicator;

/** A broker that cannot be used at start is one line naming its URI (password masked) and what to do, not Guice's thirty. */
class AmqpStartFailureTest {

    /** What the runner's module binds for AmqpModule: no store with an outbox. */
    private static final Module WITHOUT_STORE_OUTBOX = binder -> {
        OptionalBinder.newOptionalBinder(binder, Key.get(LifecycleEventPublisher.class, Names.named("outbox-acknowledger")));
        binder.bind(java.time.InstantSource.class).toInstance(java.time.InstantSource.system()); // RunnerModule binds the clock
    };

    private static final String URI = System.getenv().getOrDefault("WORKFLOW_TEST_AMQP_URI", "amqp://guest:guest@127.0.0.1:5672");

    @Test
    void givenNoBrokerOnThePort_whenTheBridgeIsProvided_thenItReturnsAtOnceAndReadinessIsDownNamingTheUriWithoutPassword() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        AmqpConfig config = AmqpConfig.of("amqp://app:s3cret-pw@127.0.0.1:" + closed).withConnectTimeout(Duration.ofMillis(300));
        long started = System.nanoTime();

        Captured<AmqpBridge> c = captureStandardError(() -> Guice.createInjector(new AmqpModule(config), WITHOUT_STORE_OUTBOX,
                binder -> binder.bind(java.time.InstantSource.class).toInstance(java.time.InstantSource.system())).getInstance(AmqpBridge.class));
        try (AmqpBridge bridge = c.value()) {
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("no waiting for the broker at start").isLessThan(Duration.ofSeconds(5));
            assertThat(c.err()).contains("RabbitMQ at amqp://app:***@127.0.0.1:" + closed + " does not answer at start")
                    .contains("readiness is DOWN until it connects").doesNotContain("s3cret-pw");
            HealthIndicator.Check check = new AmqpModule.ConnectionIndicator(bridge).check();
            assertThat(check.status()).isEqualTo(HealthIndicator.Status.DOWN);
            assertThat(check.detail()).contains("not connected to RabbitMQ at amqp://app:***@127.0.0.1:" + closed).contains("ConnectException")
                    .doesNotContain("s3cret-pw");
            assertThat(bridge.isConnected()).isFalse();
        }
    }

    @Test
    void givenWrongPassword_whenTheBridgeIsProvided_thenItFailsAtOnceSayingTheCredentialsWereRefused() {
        net.reactory.workflow.bootstrap.LocalBroker.require(URI);
        String wrong = URI.replaceFirst("//([^:/@]+):[^@]*@", "//$1:not-the-password@");
        long started = System.nanoTime();

        Captured<Throwable> c = captureStandardError(() -> catchThrowable(
                () -> Daemon.create(Settings.fromEnvironment(Map.of("WORKFLOW_AMQP_URI", wrong))).runner()));
        Daemon.StartException why = Daemon.explain(c.value());
        assertThat(c.err()).as("refused credentials are not retried as a broker that does not answer").doesNotContain("does not answer");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("no retrying for the 30 s connect timeout").isLessThan(Duration.ofSeconds(10));
        assertThat(why.getMessage()).contains("refused the credentials (ACCESS_REFUSED")
                .contains("correct the user and password in WORKFLOW_AMQP_URI").doesNotContain("not-the-password").doesNotContain("\n");
        assertThat(why.configuration()).isTrue();
    }

    record Captured<T>(T value, String err) {
    }

    /** What the connector logs (slf4j-simple writes to System.err as it is when it writes). */
    private static synchronized <T> Captured<T> captureStandardError(java.util.function.Supplier<T> action) {
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            T value = action.get();
            return new Captured<>(value, err.toString(java.nio.charset.StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
        }
    }
}
