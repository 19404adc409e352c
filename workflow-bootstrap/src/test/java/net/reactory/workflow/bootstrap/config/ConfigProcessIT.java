package net.reactory.workflow.bootstrap.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import net.reactory.workflow.bootstrap.http.DaemonProcess;

/** Configuration as an operator meets it: the real jar refusing bad values and exposing itself only with a token. */
class ConfigProcessIT {

    @Test
    void givenAllInterfacesWithoutToken_whenStarted_thenItRefusesWithAClearMessageAndExitTwo() throws Exception {
        DaemonProcess.CliResult result = DaemonProcess.cli(Map.of("WORKFLOW_HTTP_BIND", "0.0.0.0"), "run");
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("WORKFLOW_HTTP_BIND='0.0.0.0' is not a loopback address and WORKFLOW_ADMIN_TOKEN is not set");
    }

    @Test
    void givenAllInterfacesWithToken_whenRequestsComeWithoutIt_thenTheyGet401AndWithItTheyAreServed(@TempDir Path work) throws Exception {
        String token = "bind-token-0123456789abcdef";
        try (DaemonProcess daemon = DaemonProcess.launch(work, Map.of("WORKFLOW_ADMIN_TOKEN", token), "run", "--http-bind", "0.0.0.0", "--http-port", "0")
                .awaitReady()) {
            assertThat(daemon.log()).containsPattern("admin API listening on http://0\\.0\\.0\\.0:\\d+ \\(bearer token required\\)");
            DaemonProcess.Reply without = daemon.send(HttpRequest.newBuilder(URI.create(daemon.url() + "/api/v1/instances")), null);
            assertThat(without.status()).isEqualTo(401);
            assertThat(without.code()).isEqualTo("unauthorized");
            assertThat(daemon.send(HttpRequest.newBuilder(URI.create(daemon.url() + "/api/v1/instances")), token).status()).isEqualTo(200);
            assertThat(daemon.terminate(Duration.ofSeconds(5))).isZero();
            assertThat(daemon.log()).doesNotContain(token);
        }
    }

    @Test
    void givenBadValues_whenStarted_thenEachStopsTheStartNamingKeyAndValue(@TempDir Path work) throws Exception {
        Path file = work.resolve("runner.properties");
        Files.writeString(file, "WORKFLOW_HTTP_PORT=0\nWORKFLOW_HTTP_PROT=8091\n");
        // Independent starts, each its own JVM that stops at once: run side by side to keep the suite short.
        Map<String, CompletableFuture<DaemonProcess.CliResult>> runs = new LinkedHashMap<>();
        runs.put("WORKFLOW_HTTP_PORT='http'", run(Map.of("WORKFLOW_HTTP_PORT", "http"), "run"));
        runs.put("WORKFLOW_POLL_INTERVAL='soon'", run(Map.of("WORKFLOW_POLL_INTERVAL", "soon"), "run"));
        runs.put("WORKFLOW_AMQP_URI='http://guest:***@host'", run(Map.of("WORKFLOW_AMQP_URI", "http://guest:hunter2@host"), "run"));
        runs.put("unknown configuration key 'WORKFLOW_HTTP_PROT'", run(Map.of(), "run", "--config", file.toString()));
        runs.put("unknown configuration key 'WORKFLOW_NOPE'", run(Map.of(), "run", "--set", "WORKFLOW_NOPE=1"));
        runs.put("WORKFLOW_PLUGINS_DIR='", run(Map.of(), "run", "--plugins-dir", work.resolve("absent").toString()));
        runs.put("WORKFLOW_DEFINITIONS_DIR='/nonexistent' is not a folder", run(Map.of("WORKFLOW_DEFINITIONS_DIR", "/nonexistent"), "run"));
        runs.put("WORKFLOW_PLUGINS_DIR='/nonexistent' is not a folder", run(Map.of(), "--plugins-dir", "/nonexistent"));
        for (Map.Entry<String, CompletableFuture<DaemonProcess.CliResult>> r : runs.entrySet()) {
            assertRefused(r.getValue().join(), r.getKey());
            assertThat(r.getValue().join().err().split("configuration error", -1)).as("printed once: %s", r.getKey()).hasSize(2);
        }
        assertThat(runs.get("WORKFLOW_AMQP_URI='http://guest:***@host'").join().err()).doesNotContain("hunter2");
    }

    private static CompletableFuture<DaemonProcess.CliResult> run(Map<String, String> env, String... args) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return DaemonProcess.cli(env, args);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void givenEnvironmentFileAndFlag_whenStarted_thenTheFlagWinsOverTheFileWhichWinsOverTheEnvironment(@TempDir Path work) throws Exception {
        Path file = work.resolve("runner.properties");
        Files.writeString(file, "WORKFLOW_HTTP_PORT=not-a-port-from-file\nWORKFLOW_MAX_CONCURRENT=64\n");
        // The file overrides the environment: its bad port stops the start although the environment's is fine.
        assertRefused(DaemonProcess.cli(Map.of("WORKFLOW_HTTP_PORT", "0"), "run", "--config", file.toString()), "WORKFLOW_HTTP_PORT='not-a-port-from-file'");
        // The flag overrides the file: the daemon starts on the flag's port.
        try (DaemonProcess daemon = DaemonProcess.launch(work, Map.of("WORKFLOW_HTTP_PORT", "bad-env"), "run", "--config", file.toString(), "--http-port", "0")
                .awaitReady()) {
            assertThat(daemon.log()).contains("WORKFLOW_MAX_CONCURRENT=64").contains("WORKFLOW_HTTP_PORT=0");
            assertThat(daemon.terminate(Duration.ofSeconds(5))).isZero();
        }
    }

    @Test
    void givenWrongRabbitMqPassword_whenStarted_thenExitTwoAtOnceWithOneLineSayingTheCredentialsWereRefused() throws Exception {
        String uri = System.getenv().getOrDefault("WORKFLOW_TEST_AMQP_URI", "amqp://guest:guest@127.0.0.1:5672")
                .replaceFirst("//([^:/@]+):[^@]*@", "//$1:wrong-pw-4417@");
        long started = System.nanoTime();
        DaemonProcess.CliResult result = DaemonProcess.cli(Map.of("WORKFLOW_AMQP_URI", uri, "WORKFLOW_HTTP_PORT", "0"), "run");
        String err = result.err();
        if (err.contains("did not answer")) {
            net.reactory.workflow.bootstrap.LocalBroker.absent("no RabbitMQ to refuse the password: " + err);
        }
        assertThat(result.exit()).as(err).isEqualTo(2);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("no 30 s of retries").isLessThan(Duration.ofSeconds(15));
        assertThat(err).contains("workflow runner failed to start: RabbitMQ at amqp://guest:***@").contains("refused the credentials (ACCESS_REFUSED")
                .doesNotContain("wrong-pw-4417").doesNotContain("ProvisionException").doesNotContain("does not answer");
        assertThat(err.lines().filter(l -> l.contains("Connection reset")).count()).as("Connection reset warnings").isLessThanOrEqualTo(1);
    }

    @Test
    void givenAMistypedWorkflowVariable_whenStarted_thenOneWarningNamesTheClosestKey(@TempDir Path work) throws Exception {
        try (DaemonProcess daemon = DaemonProcess.launch(work, Map.of("WORKFLOW_HTTP_PORT", "0", "WORKFLOW_PLUGIN_DIR", "/opt/plugins")).awaitReady()) {
            assertThat(daemon.terminate(Duration.ofSeconds(5))).isZero();
            assertThat(daemon.log().lines().filter(l -> l.contains("WORKFLOW_PLUGIN_DIR"))).singleElement().asString()
                    .contains("[WARN]").contains("did you mean WORKFLOW_PLUGINS_DIR?");
        }
    }

    @Test
    void givenMongoUnreachableWithMemoryFallback_whenStarted_thenReadinessIsDegradedAndThePasswordIsInNoLogLine(@TempDir Path work) throws Exception {
        String password = "pw-never-logged-7391";
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Map<String, String> env = Map.of("MONGOOSE", "mongodb://app:" + password + "@127.0.0.1:" + closedPort + "/x?serverSelectionTimeoutMS=200",
                "WORKFLOW_PERSISTENCE_FALLBACK", "memory", "WORKFLOW_PERSISTENCE_RETRY", "PT1S", "WORKFLOW_HTTP_PORT", "0");
        try (DaemonProcess daemon = DaemonProcess.launch(work, env).awaitReady()) {
            var ready = daemon.get("/health/ready").json();
            assertThat(ready.path("status").asText()).as(ready.toString()).isEqualTo("DEGRADED");
            assertThat(ready.path("components").path("store").path("status").asText()).isEqualTo("DEGRADED");
            assertThat(daemon.log()).contains("MONGOOSE=mongodb://app:***@127.0.0.1:" + closedPort);
            assertThat(daemon.terminate(Duration.ofSeconds(5))).isZero();
            assertThat(daemon.log()).doesNotContain(password);
        }
    }

    private static void assertRefused(DaemonProcess.CliResult result, String message) {
        assertThat(result.exit()).as(result.err()).isEqualTo(2);
        assertThat(result.err()).contains("configuration error").contains(message);
    }
}
