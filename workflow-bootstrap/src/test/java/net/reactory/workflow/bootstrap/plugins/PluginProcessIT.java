package net.reactory.workflow.bootstrap.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import net.reactory.workflow.bootstrap.http.DaemonProcess;

/** Plugin jars as an operator drops them in the folder: one good, two broken beside it; a JSON definition uses the good one's step type. */
class PluginProcessIT {

    @Test
    void givenGoodAndBrokenJars_whenTheDaemonStarts_thenBrokenOnesAreReportedByNameAndTheGoodOnesWorkflowRuns(@TempDir Path work) throws Exception {
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        Files.copy(TestPlugins.goodJar(work, "orders-plugin.jar"), plugins.resolve("orders-plugin.jar"));
        TestPlugins.missingClassJar(plugins, "a-missing-class.jar");
        TestPlugins.garbageJar(plugins, "z-not-a-zip.jar");
        Path definitions = Files.createDirectories(work.resolve("definitions"));
        Files.writeString(definitions.resolve("stamped.json"),
                "{\"nameSpace\": \"json\", \"name\": \"Stamped\", \"version\": \"1.0.0\", \"steps\": [{\"name\": \"s\", \"type\": \"stamp\"}]}");
        try (DaemonProcess daemon = DaemonProcess.launch(work, Map.of("WORKFLOW_PLUGINS_DIR", plugins.toString(), "WORKFLOW_HTTP_PORT", "0",
                "WORKFLOW_DEFINITIONS_DIR", definitions.toString())).awaitReady()) {
            String log = daemon.log();
            assertThat(log).contains("plugin jar a-missing-class.jar failed to load").contains("broken.DoesNotExist");
            assertThat(log).contains("plugin jar z-not-a-zip.jar failed to load");
            assertThat(log).contains("plugin test-plugin from orders-plugin.jar loaded: 5 workflows");

            String id = daemon.post("/api/v1/instances", "{\"workflow\":\"test.Quick\"}").json().path("id").asText();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(daemon.get("/api/v1/instances/" + id).json().path("status").asText()).isEqualTo("COMPLETE"));
            assertThat(daemon.log()).containsPattern("instance " + id + " of test\\.Quick@1\\.0\\.0 completed");

            String stamped = daemon.post("/api/v1/instances", "{\"workflow\":\"json.Stamped\"}").json().path("id").asText();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(daemon.get("/api/v1/instances/" + stamped).json().path("data").path("stampedBy").asText())
                            .as("the plugin's step type ran in a JSON definition").isEqualTo("test-plugin"));
            assertThat(daemon.terminate(Duration.ofSeconds(5))).isZero();
        }
    }
}
