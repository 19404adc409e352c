package net.reactory.workflow.bootstrap.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The one table of keys stays complete: the README lists each with its default, and every key the daemon reads is known. */
class ConfigKeysTest {

    private static final Pattern ROW = Pattern.compile("^\\| `([A-Z_]+)` \\| ([^|]+) \\|", Pattern.MULTILINE);

    @Test
    void givenReadmeConfigurationTable_whenComparedWithTheKeys_thenEveryKeyIsListedWithItsDefaultAndNoRowIsStale() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        String table = readme.substring(readme.indexOf("## Configuration"), readme.indexOf("\n## ", readme.indexOf("## Configuration") + 5));
        Map<String, String> rows = new LinkedHashMap<>();
        Matcher m = ROW.matcher(table);
        while (m.find()) rows.put(m.group(1), m.group(2).replace("`", "").trim());
        for (ConfigKey key : ConfigKeys.all()) {
            assertThat(rows).as("README row for %s", key.name()).containsKey(key.name());
            assertThat(rows.get(key.name())).as("README default of %s", key.name()).contains(key.defaultValue());
        }
        // OTEL_* rows are OpenTelemetry's standard variables, read by its SDK (DaemonTracing), not keys of this table.
        assertThat(rows.keySet()).filteredOn(k -> !k.startsWith("OTEL_"))
                .allMatch(ConfigKeys::isKnown, "a README row names a key the daemon does not know");
        assertThat(rows).containsKeys("OTEL_TRACES_EXPORTER", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_SERVICE_NAME", "OTEL_TRACES_SAMPLER");
    }

    @Test
    void givenSettingsSource_whenItsKeysAreCollected_thenEachIsAKnownKeySoAConfigFileMayUseIt() throws Exception {
        String source = Files.readString(Path.of("src/main/java/net/reactory/workflow/bootstrap/Settings.java"));
        Matcher m = Pattern.compile("\"((?:WORKFLOW_[A-Z_]+)|MONGOOSE)\"").matcher(source);
        TreeSet<String> read = new TreeSet<>();
        while (m.find()) read.add(m.group(1));
        assertThat(read).isNotEmpty().allMatch(ConfigKeys::isKnown, "every key Settings reads is in ConfigKeys");
    }
}
