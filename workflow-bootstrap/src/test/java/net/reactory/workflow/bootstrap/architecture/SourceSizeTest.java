package net.reactory.workflow.bootstrap.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.LineMap;
import com.sun.source.tree.MethodTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;

/**
 * Issue 12's first rule, kept: no main source file over {@value #MAX_LINES} lines, and no method of the application (the
 * run path and the rest of the runner) over {@value #MAX_METHOD_LINES}. A file past it held more than one thing, and the
 * rule went unchecked until a change took {@code MemoryInstanceStore} to 402 lines without a failing build. Methods are
 * measured by the JDK's own parser, from their first modifier to their closing brace, lambdas inside them included.
 */
class SourceSizeTest {

    private static final int MAX_LINES = 400;
    private static final int MAX_METHOD_LINES = 60;

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

    @Test
    void givenTheApplicationsMainSources_whenMethodsAreMeasured_thenNoneIsOverTheLimit() throws IOException {
        Path root = repositoryRoot();
        List<Path> application = mainSources(root).stream().filter(file -> file.startsWith(root.resolve("workflow-application"))).toList();

        Map<String, Long> lengths = methodLines(application);

        assertThat(lengths).as("application methods found, so the rule does not pass on nothing").hasSizeGreaterThan(300);
        assertThat(overTheLimit(lengths)).as("methods over " + MAX_METHOD_LINES + " lines").isEmpty();
    }

    @Test
    void givenAMethodOverTheLimit_whenMethodsAreMeasured_thenItIsNamed(@TempDir Path root) throws IOException {
        Path source = root.resolve("Run.java");
        List<String> lines = new ArrayList<>(List.of("class Run {", "    void shortOne() {", "    }", "    void longOne() {"));
        lines.addAll(Stream.generate(() -> "        step();").limit(MAX_METHOD_LINES - 1).toList());
        lines.addAll(List.of("    }", "    void step() {", "    }", "}"));
        Files.write(source, lines);

        assertThat(overTheLimit(methodLines(List.of(source)))).containsOnlyKeys("Run.java:4 longOne");
    }

    private static Map<String, Long> overTheLimit(Map<String, Long> lengths) {
        Map<String, Long> over = new TreeMap<>(lengths);
        over.values().removeIf(length -> length <= MAX_METHOD_LINES);
        return over;
    }

    /** Each method with a body in {@code files}, as {@code File.java:line name}, with its length in lines. */
    private static Map<String, Long> methodLines(List<Path> files) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        try (StandardJavaFileManager fileManager = compiler.getStandardFileManager(null, null, null)) {
            JavacTask task = (JavacTask) compiler.getTask(null, fileManager, diagnostic -> { }, List.of("-proc:none"), null,
                    fileManager.getJavaFileObjectsFromPaths(files));
            SourcePositions positions = Trees.instance(task).getSourcePositions();
            Map<String, Long> lengths = new TreeMap<>();
            for (CompilationUnitTree unit : task.parse()) {
                LineMap lineMap = unit.getLineMap();
                String file = Path.of(unit.getSourceFile().toUri()).getFileName().toString();
                new TreeScanner<Void, Void>() {
                    @Override
                    public Void visitMethod(MethodTree method, Void unused) {
                        if (method.getBody() != null) {
                            long first = lineMap.getLineNumber(positions.getStartPosition(unit, method));
                            long last = lineMap.getLineNumber(positions.getEndPosition(unit, method));
                            lengths.put(file + ":" + first + " " + method.getName(), last - first + 1);
                        }
                        return super.visitMethod(method, unused);
                    }
                }.scan(unit, null);
            }
            return lengths;
        }
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
