package net.reactory.workflow.bootstrap.plugins;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Builds plugin jars in a test: compiles a class with javax.tools and writes the jar with java.util.jar. */
public final class TestPlugins {

    public static final String SERVICE = "META-INF/services/net.reactory.workflow.application.port.in.WorkflowPlugin";

    /**
     * {@code test.Quick@1.0.0}: steps A then B; B throws when the data has {@code "fail": true}.
     * {@code test.Parked@1.0.0}: step Park sleeps an hour, then Done. {@code test.Validated@1.0.0}: needs a string {@code name}.
     * {@code test.Slow@1.0.0}: step Work takes 200 ms, then Done. {@code test.Order@1.0.0}: waits for event {@code paid} keyed by
     * {@code data.order}, then Ship. Step type {@code stamp} for JSON definitions sets {@code stampedBy}.
     */
    public static final String SOURCE = """
            package testplugin;

            import java.time.Duration;
            import java.util.List;
            import java.util.Map;

            import net.reactory.workflow.application.port.in.WorkflowPlugin;
            import net.reactory.workflow.domain.step.ExecutionResult;
            import net.reactory.workflow.domain.step.StepBody;
            import net.reactory.workflow.domain.definition.Workflow;

            public class TestPlugin implements WorkflowPlugin {
                @Override
                public String name() {
                    return "test-plugin";
                }

                @Override
                public List<Workflow> workflows() {
                    Workflow quick = Workflow.of("test", "Quick", "1.0.0", steps -> steps
                            .startWith("A", ctx -> ExecutionResult.next())
                            .then("B", ctx -> {
                                if (ctx.data() instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get("fail"))) {
                                    throw new IllegalStateException("planned failure");
                                }
                                return ExecutionResult.next();
                            }));
                    Workflow parked = Workflow.of("test", "Parked", "1.0.0", steps -> steps
                            .startWith("Park", ctx -> ctx.persistedState() == null
                                    ? ExecutionResult.sleep(Duration.ofHours(1), "parked") : ExecutionResult.next())
                            .then("Done", ctx -> ExecutionResult.next()));
                    Workflow validated = Workflow.of("test", "Validated", "1.0.0", steps -> steps
                            .startWith("Only", ctx -> ExecutionResult.next()))
                            .withInputValidator(data -> data instanceof Map<?, ?> m && m.get("name") instanceof String
                                    ? List.of() : List.of("name must be a string"));
                    Workflow slow = Workflow.of("test", "Slow", "1.0.0", steps -> steps
                            .startWith("Work", ctx -> {
                                try {
                                    Thread.sleep(200); // simulated work: a step in flight when the daemon is stopped
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                    throw new IllegalStateException("interrupted");
                                }
                                return ExecutionResult.next();
                            })
                            .then("Done", ctx -> ExecutionResult.next()));
                    Workflow order = Workflow.of("test", "Order", "1.0.0", steps -> steps
                            .startWith("AwaitPayment", ctx -> ctx.receivedEvent() != null ? ExecutionResult.next()
                                    : ExecutionResult.waitForEvent("paid", String.valueOf(((Map<?, ?>) ctx.data()).get("order"))))
                            .then("Ship", ctx -> ExecutionResult.next()));
                    return List.of(quick, parked, validated, slow, order);
                }

                @Override
                public Map<String, StepBody> stepTypes() {
                    return Map.of("stamp", ctx -> ExecutionResult.next(Map.of("stampedBy", "test-plugin")));
                }
            }
            """;

    private TestPlugins() {
    }

    /** Compiles {@link #SOURCE} against this test's class path and writes it as a plugin jar. */
    public static Path goodJar(Path work, String jarName) throws IOException {
        return jar(work, jarName, "TestPlugin", SOURCE);
    }

    /** Compiles {@code source}, class {@code testplugin.<className>} implementing WorkflowPlugin, into a plugin jar. */
    public static Path jar(Path work, String jarName, String className, String source) throws IOException {
        Path src = work.resolve("src-" + jarName);
        Path classes = work.resolve("classes-" + jarName);
        Files.createDirectories(src.resolve("testplugin"));
        Files.createDirectories(classes);
        Path file = src.resolve("testplugin").resolve(className + ".java");
        Files.writeString(file, source);
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int status = javac.run(null, diagnostics, diagnostics, "-d", classes.toString(), "-cp", classPath, "--release", "21", file.toString());
        if (status != 0) throw new IllegalStateException("test plugin did not compile:\n" + diagnostics.toString(StandardCharsets.UTF_8));
        Path jar = work.resolve(jarName);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
            entry(out, SERVICE, "testplugin." + className + "\n");
        }
        return jar;
    }

    /** A jar whose service file names a class that is not there. */
    public static Path missingClassJar(Path dir, String jarName) throws IOException {
        Path jar = dir.resolve(jarName);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            entry(out, SERVICE, "broken.DoesNotExist\n");
        }
        return jar;
    }

    /** A file named .jar that is no zip at all. */
    public static Path garbageJar(Path dir, String jarName) throws IOException {
        return Files.write(dir.resolve(jarName), "this is not a jar".getBytes(StandardCharsets.UTF_8));
    }

    private static void entry(JarOutputStream out, String name, String text) throws IOException {
        out.putNextEntry(new JarEntry(name));
        OutputStream o = out;
        o.write(text.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
    }

    public static List<String> names() {
        return List.of("test.Quick@1.0.0", "test.Parked@1.0.0", "test.Validated@1.0.0", "test.Slow@1.0.0", "test.Order@1.0.0");
    }
}
