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
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library example in README.md is compiled and run as it stands, so the README stays true. */
class ReadmeExampleTest {

    @Test
    void givenReadmeTourExample_whenCompiledAndRun_thenItPrintsWhatTheReadmeSays(@TempDir Path work) throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher block = Pattern.compile("```java\\n(public class Greeting.*?|import .*?public class Greeting.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(block.find()).as("README has the Greeting example").isTrue();
        String source = block.group(1);
        Matcher promised = Pattern.compile("// (COMPLETE .*)").matcher(source);
        assertThat(promised.find()).as("the example says what it prints").isTrue();

        Path file = work.resolve("Greeting.java");
        Files.writeString(file, source);
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int status = javac.run(null, diagnostics, diagnostics, "-d", work.toString(), "-cp", classPath, file.toString());
        assertThat(status).as("javac: %s", diagnostics).isZero();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {work.toUri().toURL()}, getClass().getClassLoader())) {
            Method main = loader.loadClass("Greeting").getMethod("main", String[].class);
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            main.invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(original);
        }
        assertThat(List.of(out.toString(StandardCharsets.UTF_8).split("\\R"))).contains(promised.group(1).trim());
    }
}
