package net.reactory.workflow.bootstrap.definitions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import net.reactory.workflow.bootstrap.Daemon;
import net.reactory.workflow.bootstrap.Settings;
import net.reactory.workflow.definitions.DefinitionException;
import net.reactory.workflow.definitions.DefinitionReader;
import net.reactory.workflow.definitions.StepTypes;

/** The daemon's wiring of the reader: the definitions folder is loaded at start, bad files skipped. */
class JsonDefinitionsTest {

    private static final String JSON = """
            {"nameSpace": "same", "name": "Order", "version": "1.0.0",
             "steps": [
               {"name": "hello", "type": "log", "params": {"message": "order ${orderId}"}},
               {"name": "mark", "type": "set-data", "values": {"status": "seen"}}]}
            """;

    @Test
    void givenDefinitionsFolder_whenTheDaemonIsBuilt_thenItsGoodDefinitionsAreRegisteredAndTheBadOnesSkipped(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("order.json"), JSON);
        Files.writeString(dir.resolve("broken.json"), "{\"nameSpace\": \"same\"");
        Files.writeString(dir.resolve("again.json"), JSON);

        Daemon daemon = Daemon.create(Settings.fromEnvironment(Map.of("WORKFLOW_DEFINITIONS_DIR", dir.toString())));

        assertThat(daemon.runner().definitions()).extracting(d -> d.key().toString()).contains("same.Order@1.0.0", "reactory.Startup@1.0.0");
        assertThat(new DefinitionReader(StepTypes.builtIn(), (i, n, k, d) -> { }).readDirectory(dir).failures())
                .extracting(DefinitionException::getMessage)
                .containsExactlyInAnyOrder(dir.resolve("broken.json") + ": line 1, column 21: not valid JSON: Unexpected end-of-input: "
                                + "expected close marker for Object (start marker at [line: 1, column: 1])",
                        dir.resolve("order.json") + ": $: same.Order@1.0.0 is defined already by " + dir.resolve("again.json"));
    }
}
