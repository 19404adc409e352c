package net.reactory.workflow.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workflow-language examples of README.md (issue 15, points 7–12) are whole files: a block whose first line is
 * {@code // Name.java: compiled and run by ReadmeLanguageExamplesTest} is compiled as it stands, imports included,
 * and its {@code main} is run; every {@code // prints: text} line of the block must be a line of what it printed.
 */
class ReadmeLanguageExamplesTest {

    private static final Pattern BLOCK = Pattern.compile(
            "```java\\n// (\\w+)\\.java: compiled and run by ReadmeLanguageExamplesTest\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern PRINTS = Pattern.compile("// prints: (.*)");

    /** The examples the README must keep: removing one fails here, not silently. */
    private static final List<String> EXPECTED = List.of("StepOptionsExample", "GoToExample", "StepContextExample", "TestHooksExample", "CancelWhenExample", "InterceptorExample");

    @TempDir
    Path work;

    @TestFactory
    Stream<DynamicTest> givenReadmeLanguageExamples_whenCompiledAndRun_thenEachPrintsWhatItSays() throws Exception {
        Map<String, String> blocks = blocks();
        assertThat(blocks.keySet()).as("README's language examples").containsAll(EXPECTED);
        return blocks.entrySet().stream().map(b -> DynamicTest.dynamicTest(b.getKey(), () -> compileAndRun(b.getKey(), b.getValue())));
    }

    private static Map<String, String> blocks() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Map<String, String> blocks = new LinkedHashMap<>();
        Matcher m = BLOCK.matcher(readme);
        while (m.find()) {
            assertThat(blocks.put(m.group(1), m.group(0).substring("```java\n".length(), m.group(0).length() - 3)))
                    .as("README has one example named %s", m.group(1)).isNull();
        }
        return blocks;
    }

    private void compileAndRun(String name, String source) throws Exception {
        List<String> promised = new ArrayList<>();
        Matcher p = PRINTS.matcher(source);
        while (p.find()) promised.add(p.group(1).trim());
        assertThat(promised).as("%s says what it prints", name).isNotEmpty();

        Path dir = Files.createDirectories(work.resolve(name));
        Path file = dir.resolve(name + ".java");
        Files.writeString(file, source);
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int status = javac.run(null, diagnostics, diagnostics, "-d", dir.toString(), "-cp", classPath, file.toString());
        assertThat(status).as("javac %s: %s", name, diagnostics).isZero();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            Method main = loader.loadClass(name).getMethod("main", String[].class);
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            main.invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(original);
        }
        assertThat(List.of(out.toString(StandardCharsets.UTF_8).split("\\R"))).as("what %s printed", name).containsAll(promised);
    }
}
