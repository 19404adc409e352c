package net.reactory.workflow.bootstrap.plugins;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import net.reactory.workflow.application.port.in.WorkflowPlugin;
import net.reactory.workflow.domain.step.StepBody;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.definition.WorkflowDefinition;

/**
 * Loads every {@code *.jar} of the plugin folder, each in its own class loader, through
 * {@link ServiceLoader}. A jar that cannot be opened, names a missing class, throws, or offers an invalid
 * or duplicate workflow is reported by name; the other jars still load.
 */
public final class PluginLoader {

    private static final Logger log = LoggerFactory.getLogger(PluginLoader.class);

    private PluginLoader() {
    }

    /** {@code builtIn}: keys of workflows registered anyway, which a plugin may not register again. */
    public static LoadedPlugins load(Path folder, Set<String> builtIn) {
        List<Path> jars;
        try (Stream<Path> files = Files.list(folder)) {
            jars = files.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            log.error("plugin folder {} cannot be listed: {}", folder, e.toString());
            return new LoadedPlugins(List.of(), Map.of(), Map.of(), Map.of(folder.toString(), "cannot be listed: " + e));
        }
        List<Workflow> workflows = new ArrayList<>();
        Map<String, StepBody> stepTypes = new LinkedHashMap<>();
        Map<String, List<String>> loaded = new LinkedHashMap<>();
        Map<String, String> failures = new LinkedHashMap<>();
        Set<String> keys = new HashSet<>(builtIn);
        for (Path jar : jars) {
            String jarName = jar.getFileName().toString();
            List<String> problems = new ArrayList<>();
            List<String> names = new ArrayList<>();
            try (JarFile ignored = new JarFile(jar.toFile())) {
                // Opened once to report a corrupt jar by name rather than as a class-loading puzzle later.
            } catch (IOException e) {
                problems.add("not a readable jar: " + e.getMessage());
            }
            if (problems.isEmpty()) {
                try {
                    URLClassLoader loader = new URLClassLoader("plugin-" + jarName, new URL[]{jar.toUri().toURL()}, PluginLoader.class.getClassLoader());
                    for (ServiceLoader.Provider<WorkflowPlugin> provider : providers(loader)) {
                        if (provider.type().getClassLoader() != loader) continue;
                        WorkflowPlugin plugin = provider.get();
                        String name = plugin.name() == null || plugin.name().isBlank() ? jarName : plugin.name();
                        int before = workflows.size();
                        for (Workflow workflow : plugin.workflows()) {
                            try {
                                WorkflowDefinition.compile(workflow);
                            } catch (RuntimeException e) {
                                problems.add("plugin " + name + ": " + e.getMessage());
                                continue;
                            }
                            if (!keys.add(workflow.key())) {
                                problems.add("plugin " + name + ": workflow " + workflow.key() + " is registered already");
                                continue;
                            }
                            workflows.add(workflow);
                        }
                        plugin.stepTypes().forEach((type, body) -> {
                            if (stepTypes.putIfAbsent(type, body) != null) problems.add("plugin " + name + ": step type " + type + " is defined already");
                        });
                        names.add(name);
                        log.info("plugin {} from {} loaded: {} workflows", name, jarName, workflows.size() - before);
                    }
                    if (names.isEmpty() && problems.isEmpty()) problems.add("no " + WorkflowPlugin.class.getName() + " service in the jar");
                } catch (Exception | ServiceConfigurationError | LinkageError e) {
                    problems.add(e.toString());
                }
            }
            if (!names.isEmpty()) loaded.put(jarName, List.copyOf(names));
            if (!problems.isEmpty()) {
                failures.put(jarName, String.join("; ", problems));
                log.error("plugin jar {} failed to load{}: {}", jarName, names.isEmpty() ? "" : " in part", String.join("; ", problems));
            }
        }
        log.info("plugins: {} jars loaded, {} failed, {} workflows from {}", loaded.size(), failures.size(), workflows.size(), folder);
        return new LoadedPlugins(workflows, stepTypes, loaded, failures);
    }

    private static List<ServiceLoader.Provider<WorkflowPlugin>> providers(ClassLoader loader) {
        return ServiceLoader.load(WorkflowPlugin.class, loader).stream().toList();
    }
}
