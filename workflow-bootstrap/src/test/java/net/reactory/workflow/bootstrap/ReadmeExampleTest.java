package net.reactory.workflow.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
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

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import net.reactory.workflow.definitions.DefinitionReader;
import net.reactory.workflow.definitions.StepTypes;
import net.reactory.workflow.domain.step.ExecutionResult;

/**
 * The Java examples of README.md are compiled and run as they stand, so the README stays true. A block whose
 * first line is {@code // examples/...java} is a whole file: it must be that file of {@code examples/} word for
 * word (the examples build runs them against the installed artifacts; here they run against the reactor's).
 */
class ReadmeExampleTest {

    static final Path ROOT = Path.of("..");
    private static final Pattern JAVA_FILE_BLOCK = Pattern.compile("```java\\n(// (examples/\\S+\\.java)\\n.*?)```", Pattern.DOTALL);

    static String readme() throws Exception {
        return Files.readString(ROOT.resolve("README.md"));
    }

    /** README path of the file to its text, in README order. */
    static Map<String, String> javaFileBlocks() throws Exception {
        Map<String, String> blocks = new LinkedHashMap<>();
        Matcher m = JAVA_FILE_BLOCK.matcher(readme());
        while (m.find()) blocks.put(m.group(2), m.group(1));
        return blocks;
    }

    @Test
    void givenReadmeJavaFileBlocks_whenComparedWithTheExamples_thenEachIsThatFileWordForWord() throws Exception {
        Map<String, String> blocks = javaFileBlocks();

        assertThat(blocks.keySet()).contains("examples/tour/src/main/java/Greeting.java", "examples/json-library/src/main/java/JsonOrder.java",
                "examples/workflow-test/src/main/java/com/example/orders/OrderWorkflow.java",
                "examples/workflow-test/src/test/java/com/example/orders/OrderWorkflowTest.java");
        for (Map.Entry<String, String> block : blocks.entrySet()) {
            Path file = ROOT.resolve(block.getKey());
            assertThat(file).as("README names %s", block.getKey()).isRegularFile();
            assertThat(Files.readString(file)).as("%s as the README shows it", block.getKey()).isEqualTo(block.getValue());
        }
    }

    @Test
    void givenReadmeTourExample_whenCompiledAndRun_thenItPrintsWhatTheReadmeSays(@TempDir Path work) throws Exception {
        compileRunAndCheckWhatItPrints(work, "examples/tour/src/main/java/Greeting.java", "Greeting");
    }

    /** The library user's JSON and YAML example: workflow-definitions and the memory stores, no daemon. */
    @Test
    void givenReadmeJsonLibraryExample_whenCompiledAndRun_thenItPrintsWhatTheReadmeSays(@TempDir Path work) throws Exception {
        compileRunAndCheckWhatItPrints(work, "examples/json-library/src/main/java/JsonOrder.java", "JsonOrder");
        assertThat(Files.readString(ROOT.resolve("examples/json-library/pom.xml"))).as("the example's pom")
                .contains("<artifactId>workflow-definitions</artifactId>").doesNotContain("workflow-bootstrap");
    }

    private static void compileRunAndCheckWhatItPrints(Path work, String readmePath, String className) throws Exception {
        String source = javaFileBlocks().get(readmePath);
        assertThat(source).as("README has the %s example", className).isNotNull();
        Matcher promised = Pattern.compile("// (COMPLETE .*)").matcher(source);
        assertThat(promised.find()).as("the example says what it prints").isTrue();

        try (URLClassLoader loader = compile(work, Map.of(className + ".java", source))) {
            Method main = loader.loadClass(className).getMethod("main", String[].class);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrintStream original = System.out;
            try {
                System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
                main.invoke(null, (Object) new String[0]);
            } finally {
                System.setOut(original);
            }
            assertThat(List.of(out.toString(StandardCharsets.UTF_8).split("\\R"))).contains(promised.group(1).trim());
        }
    }

    /** Every JSON and YAML definition the README shows is read as it stands (a lone step, in a workflow of its own). */
    @Test
    void givenReadmeJsonAndYamlDefinitions_whenRead_thenEachIsAValidWorkflow() throws Exception {
        StepTypes types = StepTypes.builtIn().register("charge", params -> ctx -> ExecutionResult.next());
        DefinitionReader reader = new DefinitionReader(types, (id, name, key, data) -> { });
        List<String> read = new ArrayList<>();
        Matcher json = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(readme());
        while (json.find()) {
            String block = json.group(1).strip();
            String document = block.startsWith("{\"nameSpace\"") ? block
                    : "{\"nameSpace\": \"readme\", \"name\": \"Step\", \"version\": \"1.0.0\", \"steps\": [" + block + "]}";
            read.add(reader.read("README.md json block " + read.size(), document).key());
        }
        Matcher yaml = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(readme());
        while (yaml.find()) read.add(reader.readYaml("README.md yaml block", yaml.group(1)).key());

        assertThat(read).containsExactly("shop.Paid@1.0.0", "readme.Step@1.0.0", "shop.Paid@1.0.0");
    }

    @Test
    void givenReadmeTestingExample_whenCompiledAndItsTestsRun_thenEveryTestPasses(@TempDir Path work) throws Exception {
        Map<String, String> blocks = javaFileBlocks();
        String workflow = blocks.get("examples/workflow-test/src/main/java/com/example/orders/OrderWorkflow.java");
        String test = blocks.get("examples/workflow-test/src/test/java/com/example/orders/OrderWorkflowTest.java");
        assertThat(test).as("README's testing section uses the harness").contains("WorkflowTestHarness");

        try (URLClassLoader loader = compile(work, Map.of("OrderWorkflow.java", workflow, "OrderWorkflowTest.java", test))) {
            Class<?> testClass = loader.loadClass("com.example.orders.OrderWorkflowTest");
            var constructor = testClass.getDeclaredConstructor();
            constructor.setAccessible(true);
            List<String> ran = new ArrayList<>();
            for (Method method : testClass.getDeclaredMethods()) {
                if (!method.isAnnotationPresent(Test.class)) continue;
                method.setAccessible(true);
                try {
                    method.invoke(constructor.newInstance());
                } catch (InvocationTargetException e) {
                    throw new AssertionError("README's " + method.getName() + " failed: " + e.getCause(), e.getCause());
                }
                ran.add(method.getName());
            }
            assertThat(ran).as("the README's test methods").hasSizeGreaterThanOrEqualTo(2);
        }
    }

    /** Compiles the sources against this test's class path; the loader sees the compiled classes first. */
    static URLClassLoader compile(Path work, Map<String, String> sources) throws Exception {
        List<String> args = new ArrayList<>(List.of("-d", work.toString(), "-cp",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))));
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = work.resolve(source.getKey());
            Files.writeString(file, source.getValue());
            args.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int status = javac.run(null, diagnostics, diagnostics, args.toArray(String[]::new));
        assertThat(status).as("javac: %s", diagnostics).isZero();
        return new URLClassLoader(new URL[] {work.toUri().toURL()}, ReadmeExampleTest.class.getClassLoader());
    }
}
