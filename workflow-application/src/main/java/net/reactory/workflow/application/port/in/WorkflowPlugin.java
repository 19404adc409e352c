package net.reactory.workflow.application.port.in;

import java.util.List;
import java.util.Map;

import net.reactory.workflow.domain.step.StepBody;
import net.reactory.workflow.domain.definition.Workflow;

/**
 * A plugin: a jar with an implementation of this interface named in
 * {@code META-INF/services/net.reactory.workflow.application.port.in.WorkflowPlugin}, dropped in the
 * daemon's plugin folder. The daemon loads it at start with {@link java.util.ServiceLoader}.
 */
public interface WorkflowPlugin {

    /** Shown in the log and in reports; the jar's name is used when blank. */
    default String name() {
        return getClass().getName();
    }

    /** Workflows to register; each is validated, and an invalid one is reported and skipped. */
    List<Workflow> workflows();

    /** Named step bodies that workflows declared elsewhere (such as JSON definitions) may refer to. */
    default Map<String, StepBody> stepTypes() {
        return Map.of();
    }
}
