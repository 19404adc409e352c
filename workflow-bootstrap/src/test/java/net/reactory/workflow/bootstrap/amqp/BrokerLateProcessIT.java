package net.reactory.workflow.bootstrap.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.ConnectionFactory;

import net.reactory.workflow.bootstrap.http.DaemonProcess;

/**
 * Issue 14, point 5: with RabbitMQ configured and away at start, the admin API comes up at once, liveness is UP,
 * readiness is DOWN naming the broker; once the broker answers, readiness turns UP without a restart.
 */
class BrokerLateProcessIT {

    private static final Pattern LISTENING = Pattern.compile("admin API listening on http://([^:\\s]+):(\\d+)");
    private static final String BROKER = System.getenv().getOrDefault("WORKFLOW_TEST_AMQP_URI", "amqp://guest:guest@127.0.0.1:5672");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void givenBrokerOnAClosedPort_whenTheDaemonStarts_thenLivenessAnswersAtOnceAndReadinessIsDownNamingTheBroker(@TempDir Path work) throws Exception {
        int closed = freePort();
        try (DaemonProcess daemon = DaemonProcess.launch(work, Map.of("WORKFLOW_AMQP_URI", "amqp://app:s3cret-pw@127.0.0.1:" + closed,
                "WORKFLOW_HTTP_PORT", "0"))) {
            long launched = System.nanoTime();
            int port = awaitListening(daemon, Duration.ofSeconds(20));

            assertThat(get(port, "/health/live").statusCode()).isEqualTo(200);
            Duration upAfter = Duration.ofNanos(System.nanoTime() - launched);
            // JVM start on a loaded machine included; the broker's 30 s connect timeout must not be.
            assertThat(upAfter).as("admin API up after launch; log:%n%s", daemon.log()).isLessThan(Duration.ofSeconds(20));
            HttpResponse<String> ready = get(port, "/health/ready");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);
            JsonNode broker = DaemonProcess.JSON.readTree(ready.body()).path("components").path("broker-connection");
            assertThat(broker.path("status").asText()).isEqualTo("DOWN");
            assertThat(broker.path("detail").asText()).contains("amqp://app:***@127.0.0.1:" + closed).doesNotContain("s3cret-pw");
            assertThat(daemon.process().isAlive()).as("still running, waiting for the broker").isTrue();
            assertThat(daemon.terminate(Duration.ofSeconds(15))).as("SIGTERM while never connected: exit 0; log:%n%s", daemon.log()).isZero();
        }
    }

    @Test
    void givenBrokerAwayAtStart_whenItBecomesReachable_thenReadinessTurnsUp(@TempDir Path work) throws Exception {
        URI broker = URI.create(BROKER);
        net.reactory.workflow.bootstrap.LocalBroker.require(BROKER);
        int late = freePort();
        String uri = BROKER.replaceFirst(":" + broker.getPort() + "\\b", ":" + late);
        try (DaemonProcess daemon = DaemonProcess.launch(work, Map.of("WORKFLOW_AMQP_URI", uri, "WORKFLOW_HTTP_PORT", "0",
                "WORKFLOW_AMQP_PREFIX", "late-" + ProcessHandle.current().pid()))) {
            int port = awaitListening(daemon, Duration.ofSeconds(20));
            assertThat(get(port, "/health/ready").statusCode()).isEqualTo(503);

            try (Proxy proxy = new Proxy(late, broker.getHost(), broker.getPort())) {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    HttpResponse<String> ready = get(port, "/health/ready");
                    assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
                    assertThat(DaemonProcess.JSON.readTree(ready.body()).path("components").path("broker-connection").path("status").asText())
                            .isEqualTo("UP");
                });
                assertThat(get(port, "/health/live").statusCode()).isEqualTo(200);
                assertThat(daemon.terminate(Duration.ofSeconds(15))).as("log:%n%s", daemon.log()).isZero();
            }
        }
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int awaitListening(DaemonProcess daemon, Duration within) {
        AtomicReference<Integer> port = new AtomicReference<>();
        await().atMost(within).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            assertThat(daemon.process().isAlive()).as("daemon alive; log:%n%s", daemon.log()).isTrue();
            Matcher m = LISTENING.matcher(daemon.log());
            assertThat(m.find()).as("admin API listening; log:%n%s", daemon.log()).isTrue();
            port.set(Integer.parseInt(m.group(2)));
        });
        return port.get();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A TCP proxy from a local port to the broker, which the test opens when the broker is to become reachable. */
    private static final class Proxy implements AutoCloseable {
        private final ServerSocket server;

        Proxy(int port, String host, int targetPort) throws IOException {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress("127.0.0.1", port));
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket in = server.accept();
                        Socket out = new Socket(host, targetPort);
                        Thread.ofVirtual().start(() -> pump(in, out));
                        Thread.ofVirtual().start(() -> pump(out, in));
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
        }

        private static void pump(Socket from, Socket to) {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException done) {
                // one side closed
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
