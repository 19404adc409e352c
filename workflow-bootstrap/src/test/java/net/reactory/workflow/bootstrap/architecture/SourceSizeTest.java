package net.reactory.workflow.bootstrap.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's first rule, kept: no main source file over {@value #MAX_LINES} lines. A file past it held more than one
 * thing, and the rule went unchecked until a change took {@code MemoryInstanceStore} to 402 lines without a failing build.
 */
class SourceSizeTest {

    private static final int MAX_LINES = 400;

    @Test
    void givenEveryModulesMainSources_whenLinesAreCounted_thenNoFileIsOverTheLimit() throws IOException {
        List<Path> sources = mainSources(repositoryRoot());

        assertThat(sources).as("main sources found, so the rule does not pass on nothing").hasSizeGreaterThan(200);
        assertThat(sources).filteredOn(file -> lines(file) > MAX_LINES).as("files over " + MAX_LINES + " lines").isEmpty();
    }

    @Test
    void givenAFileOverTheLimit_whenLinesAreCounted_thenItIsNamed(@TempDir Path root) throws IOException {
        Path source = root.resolve("some-module/src/main/java/Big.java");
        Files.createDirectories(source.getParent());
        Files.write(source, Stream.generate(() -> "//").limit(MAX_LINES + 1).toList());
        Files.write(root.resolve("some-module/src/main/java/Small.java"), List.of("class Small {}"));

        assertThat(mainSources(root)).filteredOn(file -> lines(file) > MAX_LINES).containsExactly(source);
    }

    /** The checkout holding this module: the nearest parent with a {@code pom.xml} and a {@code workflow-domain} module. */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("workflow-domain"))) return dir;
        }
        throw new IllegalStateException("no checkout above " + Path.of("").toAbsolutePath());
    }

    /** The {@code src/main/java} files of each module (each folder of the root that has one). */
    private static List<Path> mainSources(Path root) throws IOException {
        List<Path> modules;
        try (Stream<Path> children = Files.list(root)) {
            modules = children.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).toList();
        }
        List<Path> sources = new ArrayList<>();
        for (Path module : modules) {
            try (Stream<Path> files = Files.walk(module)) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(sources::add);
            }
        }
        return sources.stream().sorted().toList();
    }

    private static long lines(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
