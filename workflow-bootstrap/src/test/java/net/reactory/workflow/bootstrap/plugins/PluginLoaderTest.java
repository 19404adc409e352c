package net.reactory.workflow.bootstrap.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import net.reactory.workflow.domain.definition.Workflow;

class PluginLoaderTest {

    @Test
    void givenGoodBrokenAndDuplicateJars_whenLoaded_thenGoodWorkflowsLoadAndEveryProblemIsReportedByJarName(@TempDir Path work) throws Exception {
        Path dir = Files.createDirectories(work.resolve("plugins"));
        Files.copy(TestPlugins.goodJar(work, "a.jar"), dir.resolve("a.jar"));
        Files.copy(TestPlugins.goodJar(work, "b-copy.jar"), dir.resolve("b-copy.jar"));
        TestPlugins.missingClassJar(dir, "c-missing.jar");
        TestPlugins.garbageJar(dir, "d-garbage.jar");
        Files.writeString(dir.resolve("notes.txt"), "not a jar: ignored");

        LoadedPlugins loaded = PluginLoader.load(dir, Set.of("test.Quick@1.0.0"));

        assertThat(loaded.workflows()).extracting(Workflow::key)
                .containsExactlyInAnyOrder("test.Parked@1.0.0", "test.Validated@1.0.0", "test.Slow@1.0.0", "test.Order@1.0.0");
        assertThat(loaded.loaded()).containsKeys("a.jar", "b-copy.jar");
        assertThat(loaded.failures()).containsOnlyKeys("a.jar", "b-copy.jar", "c-missing.jar", "d-garbage.jar");
        assertThat(loaded.failures().get("a.jar")).contains("workflow test.Quick@1.0.0 is registered already");
        assertThat(loaded.failures().get("b-copy.jar")).contains("test.Parked@1.0.0 is registered already");
        assertThat(loaded.failures().get("c-missing.jar")).contains("broken.DoesNotExist");
        assertThat(loaded.failures().get("d-garbage.jar")).contains("not a readable jar");
    }
}
