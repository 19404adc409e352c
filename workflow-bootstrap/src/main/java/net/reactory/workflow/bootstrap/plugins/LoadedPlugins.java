package net.reactory.workflow.bootstrap.plugins;

import java.util.List;
import java.util.Map;

import net.reactory.workflow.domain.step.StepBody;
import net.reactory.workflow.domain.definition.Workflow;

/**
 * What the plugin folder gave: the valid workflows and step types, and a line per jar that failed.
 *
 * @param loaded  jar name to plugin names loaded from it
 * @param failures jar name to why it was not loaded (wholly or in part)
 */
public record LoadedPlugins(List<Workflow> workflows, Map<String, StepBody> stepTypes,
                            Map<String, List<String>> loaded, Map<String, String> failures) {

    public static final LoadedPlugins NONE = new LoadedPlugins(List.of(), Map.of(), Map.of(), Map.of());

    public LoadedPlugins {
        workflows = List.copyOf(workflows);
        stepTypes = Map.copyOf(stepTypes);
        loaded = Map.copyOf(loaded);
        failures = Map.copyOf(failures);
    }
}
