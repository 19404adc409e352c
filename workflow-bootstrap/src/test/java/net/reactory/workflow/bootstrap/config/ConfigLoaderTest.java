package net.reactory.workflow.bootstrap.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @Test
    void givenTheSameKeyInEnvironmentFileAndFlags_whenLoaded_thenFlagsWinOverTheFileWhichWinsOverTheEnvironment(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("c.properties"), "WORKFLOW_HTTP_PORT=2\nWORKFLOW_MAX_CONCURRENT=7\n");
        Map<String, String> env = Map.of("WORKFLOW_HTTP_PORT", "1", "WORKFLOW_MAX_CONCURRENT", "1", "WORKFLOW_DURABILITY", "burst");
        Map<String, String> values = ConfigLoader.load(env, file, Map.of("WORKFLOW_HTTP_PORT", "3"));
        assertThat(values).containsEntry("WORKFLOW_HTTP_PORT", "3").containsEntry("WORKFLOW_MAX_CONCURRENT", "7").containsEntry("WORKFLOW_DURABILITY", "burst");
    }

    @Test
    void givenUnknownKeyInFileOrFlag_whenLoaded_thenRefusedNamingTheKey(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("c.properties"), "WORKFLOW_HTTP_PROT=1\n");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), file, Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining("'WORKFLOW_HTTP_PROT'");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), null, Map.of("NOPE", "1"))).hasMessageContaining("'NOPE'");
        assertThat(ConfigLoader.load(Map.of("WORKFLOW_TEST_SOMETHING", "x"), null, Map.of())).as("unknown environment variables are not ours to refuse")
                .containsEntry("WORKFLOW_TEST_SOMETHING", "x");
    }

    @Test
    void givenDefinitionsFolderThatIsNone_whenLoaded_thenRefusedLikeThePluginsFolder(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("WORKFLOW_DEFINITIONS_DIR", "/nonexistent"), null, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessage("WORKFLOW_DEFINITIONS_DIR='/nonexistent' is not a folder");
        Path file = Files.writeString(dir.resolve("a-file.json"), "{}");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), null, Map.of("WORKFLOW_DEFINITIONS_DIR", file.toString())))
                .hasMessageContaining("is not a folder");
        assertThat(ConfigLoader.load(Map.of("WORKFLOW_DEFINITIONS_DIR", dir.toString()), null, Map.of())).containsKey("WORKFLOW_DEFINITIONS_DIR");
    }

    @Test
    void givenWorkflowVariablesThatAreNoKeys_whenChecked_thenOneLineEachNamesTheClosestKey() {
        Map<String, String> env = Map.of("WORKFLOW_HTTP_PROT", "8091", "WORKFLOW_DEFINITION_DIR", "x", "WORKFLOW_URL", "http://h:1",
                "WORKFLOW_JAVA_OPTS", "-Xmx1g", "WORKFLOW_HTTP_PORT", "0", "PATH", "/bin");
        assertThat(ConfigLoader.unknownEnvironmentVariables(env)).containsExactly(
                "environment variable WORKFLOW_DEFINITION_DIR is not a configuration key and is ignored; did you mean WORKFLOW_DEFINITIONS_DIR?",
                "environment variable WORKFLOW_HTTP_PROT is not a configuration key and is ignored; did you mean WORKFLOW_HTTP_PORT?");
    }

    @Test
    void givenUriWithPassword_whenItIsBad_thenTheMessageNamesKeyAndValueWithThePasswordMasked() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("MONGOOSE", "postgres://app:s3cret@db:5432/x"), null, Map.of()))
                .hasMessageContaining("MONGOOSE='postgres://app:***@db:5432/x'").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("WORKFLOW_AMQP_URI", "amqp://u:p w@h"), null, Map.of()))
                .hasMessageContaining("WORKFLOW_AMQP_URI=").hasMessageNotContaining("p w");
        assertThat(ConfigLoader.load(Map.of("MONGOOSE", "mongodb://u:p@h:27017/db"), null, Map.of())).containsKey("MONGOOSE");
    }

    @Test
    void givenOperatorValues_whenRead_thenBadOnesAreRefusedNamingKeyAndValueAndTheTokenIsNeverShown() {
        assertThatThrownBy(() -> OperatorConfig.from(Map.of("WORKFLOW_HTTP_PORT", "70000"))).hasMessageContaining("WORKFLOW_HTTP_PORT='70000'");
        assertThatThrownBy(() -> OperatorConfig.from(Map.of("WORKFLOW_HTTP_BIND", "not an address"))).hasMessageContaining("WORKFLOW_HTTP_BIND='not an address'");
        assertThatThrownBy(() -> OperatorConfig.from(Map.of("WORKFLOW_HTTP_BIND", "0.0.0.0"))).hasMessageContaining("is not a loopback address");
        assertThatThrownBy(() -> OperatorConfig.from(Map.of("WORKFLOW_ADMIN_TOKEN", "short-secret"))).hasMessageContaining("shorter than 16")
                .hasMessageNotContaining("short-secret");
        assertThatThrownBy(() -> OperatorConfig.from(Map.of("WORKFLOW_HTTP_MAX_BODY", "-1"))).hasMessageContaining("WORKFLOW_HTTP_MAX_BODY='-1'");
        OperatorConfig exposed = OperatorConfig.from(Map.of("WORKFLOW_HTTP_BIND", "0.0.0.0", "WORKFLOW_ADMIN_TOKEN", "0123456789abcdef0123"));
        assertThat(exposed.toString()).doesNotContain("0123456789abcdef0123").contains("adminToken=***");
        assertThat(OperatorConfig.defaults().port()).isEqualTo(8090);
        assertThat(OperatorConfig.defaults().bind().isLoopbackAddress()).isTrue();
    }

    @Test
    void givenSecretKeys_whenRedacted_thenOnlyThePasswordOrTheTokenIsHidden() {
        assertThat(Redaction.value("MONGOOSE", "mongodb://app:pw@h1,h2/db?x=1")).isEqualTo("mongodb://app:***@h1,h2/db?x=1");
        assertThat(Redaction.value("WORKFLOW_ADMIN_TOKEN", "anything")).isEqualTo("***");
        assertThat(Redaction.value("WORKFLOW_HTTP_PORT", "8090")).isEqualTo("8090");
    }
}
