package net.reactory.workflow.domain.execution;

import net.reactory.workflow.domain.definition.WorkflowOptions;
import net.reactory.workflow.domain.instance.InstanceFinishedException;
import net.reactory.workflow.domain.instance.WorkflowInstance;


import java.time.Instant;

/**
 * The names a workflow deadline's error is kept under. The expiry itself is a transition:
 * {@link WorkflowTransitions#expireIfPastDeadline}.
 */
public final class Deadlines {

    /** The step name under which a deadline error is kept on the instance. */
    public static final String STEP = "(workflow deadline)";
    public static final String ERROR_TYPE = "WorkflowDeadlineExceeded";

    private Deadlines() {
    }

    /**
     * Ends {@code instance}, runnable or waiting, as {@code options} say, without checking that the deadline has
     * passed. Kept for callers written before {@link WorkflowTransitions#expireIfPastDeadline}, which decides
     * that as well and is the one to call.
     *
     * @throws InstanceFinishedException when the instance has already finished
     */
    public static Transition expire(WorkflowInstance instance, WorkflowOptions options, Instant now) {
        return WorkflowTransitions.expire(instance, options, now);
    }
}
