package net.reactory.workflow.bootstrap.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14, point 7: values from outside cannot forge log lines of the real daemon, nor flood its log. */
class LogForgingProcessIT {

    private static final String FORGED = "2026-01-31T12:00:00.000+0000 [main] [ERROR] workflow.lifecycle - FORGED";

    @Test
    void givenReasonsAndDataWithNewlinesAndEscapes_whenLogged_thenEachStaysOnItsOwnLineEscapedAndCapped(@TempDir Path work) throws Exception {
        Path definitions = Files.createDirectories(work.resolve("definitions"));
        Files.writeString(definitions.resolve("say.json"), """
                {"nameSpace": "hostile", "name": "Say", "version": "1.0.0",
                 "steps": [{"name": "say", "type": "log", "params": {"message": "note ${note}"}},
                           {"name": "park", "type": "wait-for-event", "event": "never", "key": "k"}]}""");
        try (DaemonProcess daemon = DaemonProcess.launch(work, Map.of("WORKFLOW_HTTP_PORT", "0", "WORKFLOW_DEFINITIONS_DIR", definitions.toString()))
                .awaitReady()) {
            String newline = "\\n" + FORGED.replace("FORGED", "FORGED-BY-DATA");
            String said = daemon.post("/api/v1/instances", "{\"workflow\":\"hostile.Say\",\"data\":{\"note\":\"hi" + newline + "\\u001b[2J\"}}")
                    .json().path("id").asText();
            String suspended = daemon.post("/api/v1/instances", "{\"workflow\":\"hostile.Say\",\"data\":{\"note\":\"" + "x".repeat(100_000) + "\"}}")
                    .json().path("id").asText();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(daemon.log()).contains("FORGED-BY-DATA").contains("xxxx"));
            assertThat(daemon.post("/api/v1/instances/" + suspended + "/suspend", "{\"reason\":\"maintenance\\r\\n" + FORGED.replace("FORGED", "FORGED-BY-SUSPEND") + "\"}")
                    .status()).isEqualTo(200);
            assertThat(daemon.post("/api/v1/instances/" + said + "/terminate", "{\"reason\":\"done\\n" + FORGED.replace("FORGED", "FORGED-BY-TERMINATE") + "\"}")
                    .status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(daemon.log()).contains("FORGED-BY-SUSPEND").contains("FORGED-BY-TERMINATE"));

            List<String> lines = Arrays.asList(daemon.log().split("\n"));
            assertThat(lines).as("no forged line of its own").noneMatch(l -> l.startsWith("2026-01-31T12:00:00.000+0000"));
            assertThat(lines).filteredOn(l -> l.contains("FORGED-BY-")).hasSize(3)
                    .allMatch(l -> l.contains("[INFO]") && l.contains("\\n2026-01-31T12:00:00.000+0000 [main] [ERROR] workflow.lifecycle - FORGED-BY-"));
            assertThat(daemon.log()).doesNotContain("\u001b").contains("\\u001b[2J");
            assertThat(lines).filteredOn(l -> l.contains("xxxx")).singleElement()
                    .satisfies(l -> assertThat(l.length()).isLessThan(5_000)).asString().contains("more characters)");
        }
    }
}
