package net.reactory.workflow.bootstrap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import net.reactory.workflow.adapter.amqp.AmqpNames;
import net.reactory.workflow.bootstrap.http.DaemonProcess;
import net.reactory.workflow.bootstrap.plugins.TestPlugins;

/** What the README says about names and callers is what the daemon does, and its log tells a duplicate start as one. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SmallTruthsProcessIT {

    static final Path README = Path.of("..", "README.md");

    DaemonProcess daemon;

    @BeforeAll
    void startDaemon(@TempDir Path work) throws Exception {
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        Files.copy(TestPlugins.goodJar(work, "good-plugin.jar"), plugins.resolve("good-plugin.jar"));
        daemon = DaemonProcess.launch(work, Map.of("WORKFLOW_PLUGINS_DIR", plugins.toString(), "WORKFLOW_HTTP_PORT", "0")).awaitReady();
    }

    @AfterAll
    void stopDaemon() throws Exception {
        if (daemon != null) {
            assertThat(daemon.terminate(Duration.ofSeconds(5))).isZero();
            daemon.close();
        }
    }

    @Test
    void givenTheReadmesAmqpTopology_whenTheWakeUpQueueIsNamed_thenItIsPidUnderscoreHostAsTheAdapterNamesIt() throws Exception {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        assertThat(readme).contains("| `workflow.wakeup.<pid>_<host>.<n>` |").doesNotContain("<pid@host>");
        // The node id is the JVM's pid@host; the work signal replaces what a queue name should not hold.
        assertThat(new AmqpNames("workflow").wakeupQueue("4242@build-7.example".replaceAll("[^A-Za-z0-9_.-]", "_"), 1))
                .isEqualTo("workflow.wakeup.4242_build-7.example.1");
    }

    @Test
    void givenCallerHeaders_whenCommandsAreAudited_thenTheReadmesRuleDecidesBetweenTheNameAndAnonymous() throws Exception {
        assertThat(Files.readString(README, StandardCharsets.UTF_8))
                .contains("The name is 1 to 64 characters of letters, digits and `. _ : @ / -`")
                .contains("recorded as `anonymous@<address>`");
        String longest = "a".repeat(64);
        Map<String, String> expected = Map.of("ops:jane@desk-1/batch_2.x", "ops:jane@desk-1/batch_2.x@127.0.0.1",
                longest, longest + "@127.0.0.1", longest + "a", "anonymous@127.0.0.1", "jane doe", "anonymous@127.0.0.1",
                "j\u00f6rg", "anonymous@127.0.0.1");
        for (Map.Entry<String, String> caller : expected.entrySet()) {
            String reference = "caller-" + Integer.toHexString(caller.getKey().hashCode());
            byte[] body = ("{\"workflow\":\"test.Quick\",\"reference\":\"" + reference + "\"}").getBytes(StandardCharsets.UTF_8);
            String head = "POST /api/v1/instances HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nConnection: close\r\n"
                    + "X-Workflow-Caller: " + caller.getKey() + "\r\nContent-Length: " + body.length + "\r\n\r\n";
            assertThat(daemon.raw(new String(head.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1), body).status()).isEqualTo(201);
        }
        JsonNode audit = daemon.get("/api/v1/audit?limit=1000").json();
        for (Map.Entry<String, String> caller : expected.entrySet()) {
            String reference = "caller-" + Integer.toHexString(caller.getKey().hashCode());
            assertThat(audit.path("items").findParents("actor").stream()
                    .filter(e -> e.path("command").asText().equals("start") && e.toString().contains("test.Quick"))
                    .map(e -> e.path("actor").asText()))
                    .as("caller %s (reference %s)", caller.getKey(), reference).contains(caller.getValue());
        }
    }

    @Test
    void givenAStartWithAReferenceAlreadyUsed_whenRepeated_thenTheLogSaysTheExistingInstanceWasReturnedNotASecondStart() throws Exception {
        String first = daemon.post("/api/v1/instances", "{\"workflow\":\"test.Parked\",\"reference\":\"dup-ref-1\"}").json().path("id").asText();
        String second = daemon.post("/api/v1/instances", "{\"workflow\":\"test.Parked\",\"reference\":\"dup-ref-1\"}").json().path("id").asText();
        assertThat(second).isEqualTo(first);

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(daemon.log())
                .contains("start of test.Parked@1.0.0 by it-test@127.0.0.1 through http with reference dup-ref-1 returned the existing instance "
                        + first + ": nothing started"));
        assertThat(daemon.log().lines().filter(l -> l.contains("instance " + first + " of") && l.contains(" started"))).singleElement().asString()
                .contains("instance " + first + " of test.Parked@1.0.0 started with reference dup-ref-1");
    }
}
