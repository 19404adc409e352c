package net.reactory.workflow.application.port.out;

import net.reactory.workflow.domain.instance.WorkflowInstance;

/** The answer of {@link InstanceStore#create}. */
public sealed interface CreateResult {

    record Created(WorkflowInstance instance) implements CreateResult {
    }

    /** The reference is already used by {@code existingInstanceId} for the same workflow. */
    record ReferenceTaken(String existingInstanceId) implements CreateResult {
    }
}
