package net.reactory.workflow.bootstrap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import net.reactory.workflow.bootstrap.http.DaemonProcess;
import net.reactory.workflow.bootstrap.plugins.TestPlugins;

/** Every CLI command of the jar, each in its own process, against a daemon in another process. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliProcessIT {

    static final String TOKEN = "cli-token-0123456789abcdef";

    DaemonProcess daemon;
    Map<String, String> env;

    @BeforeAll
    void startDaemon(@TempDir Path work) throws Exception {
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        Files.copy(TestPlugins.goodJar(work, "good-plugin.jar"), plugins.resolve("good-plugin.jar"));
        daemon = DaemonProcess.launch(work, Map.of("WORKFLOW_ADMIN_TOKEN", TOKEN, "WORKFLOW_PLUGINS_DIR", plugins.toString(),
                "WORKFLOW_HTTP_PORT", "0")).awaitReady();
        env = Map.of("WORKFLOW_URL", daemon.url(), "WORKFLOW_ADMIN_TOKEN", TOKEN);
    }

    @AfterAll
    void stopDaemon() throws Exception {
        if (daemon != null) {
            assertThat(daemon.terminate(Duration.ofSeconds(5))).isZero();
            daemon.close();
        }
    }

    @Test
    void givenDaemon_whenDefinitionsAreListedAndOneIsShown_thenExitZeroWithKeysAndStepGraph() throws Exception {
        DaemonProcess.CliResult list = DaemonProcess.cli(env, "definitions");
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains("test.Quick@1.0.0", "reactory.Startup@1.0.0\tstartup\t2 steps\tauto-start");

        DaemonProcess.CliResult one = DaemonProcess.cli(env, "definitions", "test.Quick");
        assertThat(one.exit()).as(one.err()).isZero();
        JsonNode json = DaemonProcess.JSON.readTree(one.out());
        assertThat(json.path("steps").get(0).path("next").asText()).isEqualTo("B");
    }

    @Test
    void givenStartWithWait_whenTheInstanceCompletesOrFails_thenExitZeroOrSeven() throws Exception {
        DaemonProcess.CliResult ok = DaemonProcess.cli(env, "start", "test.Quick", "--data", "{\"n\":2}", "--wait");
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out().trim()).matches("\\S+ COMPLETE");

        DaemonProcess.CliResult failed = DaemonProcess.cli(env, "start", "test.Quick@1.0.0", "--data", "{\"fail\":true}", "--wait");
        assertThat(failed.exit()).as(failed.err()).isEqualTo(ExitCodes.NOT_COMPLETE);
        assertThat(failed.out().trim()).endsWith(" FAILED");
    }

    @Test
    void givenStartWithWait_whenTheInstanceStillRunsAtTheTimeout_thenExitSevenAsHelpSays() throws Exception {
        DaemonProcess.CliResult parked = DaemonProcess.cli(env, "start", "test.Parked", "--wait", "--timeout", "1");
        assertThat(parked.exit()).as(parked.err()).isEqualTo(ExitCodes.NOT_COMPLETE);
        assertThat(parked.err()).containsPattern("instance \\S+ still RUNNABLE after 1 s");
    }

    @Test
    void givenParkedInstance_whenStatusListSuspendResumeTerminate_thenEachPrintsAndExitsAsDocumented() throws Exception {
        DaemonProcess.CliResult start = DaemonProcess.cli(env, "start", "test.Parked", "--reference", "cli-ref");
        assertThat(start.exit()).as(start.err()).isZero();
        String id = start.out().trim();
        assertThat(id).matches("[0-9a-f-]{36}");

        DaemonProcess.CliResult status = DaemonProcess.cli(env, "status", id);
        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(DaemonProcess.JSON.readTree(status.out()).path("definition").asText()).isEqualTo("test.Parked@1.0.0");

        DaemonProcess.CliResult list = DaemonProcess.cli(env, "list", "--definition", "test.Parked", "--limit", "1000");
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains(id + "\tRUNNABLE\ttest.Parked@1.0.0");

        assertThat(DaemonProcess.cli(env, "suspend", id, "--reason", "night").out().trim()).isEqualTo(id + " SUSPENDED");
        assertThat(DaemonProcess.cli(env, "resume", id).out().trim()).isEqualTo(id + " RUNNABLE");
        DaemonProcess.CliResult terminated = DaemonProcess.cli(env, "terminate", id, "--reason", "done");
        assertThat(terminated.exit()).isZero();
        assertThat(terminated.out().trim()).isEqualTo(id + " TERMINATED");

        DaemonProcess.CliResult again = DaemonProcess.cli(env, "resume", id);
        assertThat(again.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(again.err()).contains("error 409 conflict");

        JsonNode audit = daemon.get("/api/v1/audit?limit=1000").json();
        assertThat(audit.path("items").findValues("actor").stream().map(JsonNode::asText).filter(a -> a.startsWith("cli:")))
                .as("the CLI's commands reach the audit log with the caller").isNotEmpty();
    }

    @Test
    void givenOrderWaitingForPayment_whenPublishEventIsRun_thenExitZeroAndTheOrderCompletes() throws Exception {
        String id = DaemonProcess.cli(env, "start", "test.Order", "--data", "{\"order\":\"cli-9\"}").out().trim();
        DaemonProcess.CliResult event = DaemonProcess.cli(env, "publish-event", "paid", "cli-9", "--data", "{\"amount\":3}");
        assertThat(event.exit()).as(event.err()).isZero();
        assertThat(event.out()).contains("published paid cli-9");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(daemon.get("/api/v1/instances/" + id).json().path("status").asText()).isEqualTo("COMPLETE"));
    }

    @Test
    void givenErrors_whenCommandsFail_thenExitCodesTellWhy() throws Exception {
        Map<String, String> wrongToken = new HashMap<>(env);
        wrongToken.put("WORKFLOW_ADMIN_TOKEN", "wrong-token-0123456789");
        // Independent commands, each its own JVM: run side by side to keep the suite short.
        var missing = run(env, "status", "3f2504e0-4f89-11d3-9a0c-0305e82c3301");
        var event = run(env, "publish-event", "paid", "order-1", "--effective-at", "yesterday");
        var unauthorized = run(wrongToken, "list");
        var unreachable = run(env, "list", "--url", "http://127.0.0.1:1");
        var badFilter = run(env, "list", "--status", "sleeping");
        var badJson = run(env, "start", "test.Quick", "--data", "{broken");
        var unknown = run(env, "frobnicate");

        assertThat(missing.join().exit()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(missing.join().err()).contains("error 404 not_found");
        assertThat(event.join().exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(event.join().err()).contains("422 invalid_input");
        assertThat(unauthorized.join().exit()).isEqualTo(ExitCodes.UNAUTHORIZED);
        assertThat(unreachable.join().exit()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(unreachable.join().err()).contains("cannot reach the daemon");
        assertThat(badFilter.join().exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(badJson.join().exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.join().exit()).isEqualTo(ExitCodes.USAGE);
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
    void givenHelp_whenAskedOfTheJar_thenEveryCommandIsListedAndExitIsZero() throws Exception {
        DaemonProcess.CliResult help = DaemonProcess.cli(Map.of(), "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("run", "start", "status", "list", "suspend", "resume", "terminate", "publish-event", "definitions", "bench",
                "Exit codes");
        DaemonProcess.CliResult startHelp = DaemonProcess.cli(Map.of(), "start", "--help");
        assertThat(startHelp.exit()).isZero();
        assertThat(startHelp.out()).contains("--wait", "--reference", "--url", "--token-file");
    }
}
