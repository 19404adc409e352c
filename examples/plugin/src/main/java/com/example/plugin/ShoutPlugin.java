package com.example.plugin;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import net.reactory.workflow.application.port.in.WorkflowPlugin;
import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.step.StepBody;
import net.reactory.workflow.domain.definition.Workflow;

/**
 * A plugin: a step type {@code shout} that JSON definitions may name ({@code "type": "shout"}), and a workflow
 * {@code demo.Shout} written in Java that uses it. The daemon finds this class through
 * {@code META-INF/services/net.reactory.workflow.application.port.in.WorkflowPlugin}.
 */
public final class ShoutPlugin implements WorkflowPlugin {

    /** Upper-cases the data's {@code message}; the data is a map, as JSON definitions have it. */
    static final StepBody SHOUT = ctx -> {
        if (!(ctx.data() instanceof Map<?, ?> data) || !(data.get("message") instanceof String message)) {
            return ExecutionResult.fail("NoMessage", "shout needs a text field 'message' in the data");
        }
        Map<Object, Object> shouted = new HashMap<>(data);
        shouted.put("message", message.toUpperCase(Locale.ROOT) + "!");
        return ExecutionResult.next(shouted);
    };

    @Override
    public String name() {
        return "shout-example";
    }

    @Override
    public List<Workflow> workflows() {
        return List.of(Workflow.of("demo", "Shout", "1.0.0", steps -> steps.startWith("shout", SHOUT)));
    }

    @Override
    public Map<String, StepBody> stepTypes() {
        return Map.of("shout", SHOUT);
    }
}
