package net.reactory.workflow.domain.definition;

import net.reactory.workflow.domain.language.StepsBuilder;


import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A registered, validated workflow: its identity, options and immutable step graph.
 * Built only through {@link #compile}, which reports every problem at once.
 */
public record WorkflowDefinition(DefinitionKey key, Workflow workflow, List<StepDefinition> steps) {

    public WorkflowDefinition {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(workflow, "workflow");
        steps = List.copyOf(steps);
    }

    public StepDefinition step(int id) {
        return steps.get(id);
    }

    public String category() {
        return workflow.category();
    }

    public boolean autoStart() {
        return workflow.autoStart();
    }

    public Map<String, Object> props() {
        return workflow.props();
    }

    public InputValidator inputValidator() {
        return workflow.inputValidator();
    }

    /** Validates the workflow and builds its step graph; throws {@link InvalidWorkflowException} listing every problem. */
    public static WorkflowDefinition compile(Workflow workflow) {
        Objects.requireNonNull(workflow, "workflow");
        List<String> problems = new ArrayList<>();
        String label = workflow.nameSpace() + "." + workflow.name() + "@" + workflow.version();
        if (workflow.nameSpace() == null || workflow.nameSpace().isBlank()) problems.add("nameSpace is missing");
        else if (workflow.nameSpace().contains("@") || workflow.nameSpace().startsWith(".") || workflow.nameSpace().endsWith(".")) {
            problems.add("nameSpace '" + workflow.nameSpace() + "' must not contain '@' nor start or end with '.'");
        }
        if (workflow.name() == null || workflow.name().isBlank()) problems.add("name is missing");
        else if (workflow.name().contains(".") || workflow.name().contains("@")) problems.add("name '" + workflow.name() + "' must not contain '.' or '@'");
        if (!SemanticVersion.isValid(workflow.version())) {
            problems.add("version '" + workflow.version() + "' is not a semantic version (expected MAJOR.MINOR.PATCH such as 1.0.0)");
        }
        int retries = intProp(workflow.props(), "retries", 0, problems);
        WorkflowOptions options = WorkflowOptions.parse(workflow.props(), problems);
        List<StepDefinition> steps = List.of();
        if (workflow.component() == null) {
            problems.add("component is missing: nothing declares the steps");
        } else {
            StepsBuilder builder = new StepsBuilder();
            try {
                workflow.component().build(builder);
                StepsBuilder.Result result = builder.build(retries + 1);
                problems.addAll(result.problems());
                steps = options.applyStepDefaults(result.steps());
            } catch (RuntimeException e) {
                problems.add("component threw while declaring steps: " + e);
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidWorkflowException(label, problems);
        }
        return new WorkflowDefinition(DefinitionKey.of(workflow.nameSpace(), workflow.name(), workflow.version()), workflow, steps);
    }

    private static int intProp(Map<String, Object> props, String name, int fallback, List<String> problems) {
        Object value = props.get(name);
        if (value == null) return fallback;
        if (value instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() == Math.rint(n.doubleValue())) return n.intValue();
        problems.add("props." + name + " must be a whole number not below 0, was '" + value + "'");
        return fallback;
    }
}
