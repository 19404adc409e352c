package net.reactory.workflow.domain.execution;

import net.reactory.workflow.domain.definition.WorkflowOptions;
import net.reactory.workflow.domain.instance.InstanceFinishedException;
import net.reactory.workflow.domain.instance.StepError;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;


import java.time.Instant;
import java.util.List;

/** The pure transition of an instance whose workflow deadline has passed: it ends as its definition says. */
public final class Deadlines {

    /** The step name under which a deadline error is kept on the instance. */
    public static final String STEP = "(workflow deadline)";
    public static final String ERROR_TYPE = "WorkflowDeadlineExceeded";

    private Deadlines() {
    }

    /**
     * Ends {@code instance}, runnable or waiting, as {@code behaviour} says: terminated, failed (also for
     * compensate, until the saga runs here) or suspended. The error is kept on the instance.
     *
     * @throws InstanceFinishedException when the instance has already finished
     */
    public static Transition expire(WorkflowInstance instance, WorkflowOptions options, Instant now) {
        if (instance.isFinished()) throw new InstanceFinishedException(instance.id(), instance.status(), "expire");
        long revision = instance.revision() + 1;
        String message = "the workflow deadline of " + options.deadline() + " passed at " + instance.createdAt().plus(options.deadline());
        StepError error = new StepError(STEP, ERROR_TYPE, message, 1, now);
        List<StepError> errors = new java.util.ArrayList<>(instance.errors());
        if (errors.size() >= WorkflowInstance.MAX_ERRORS) errors.remove(0);
        errors.add(error);
        WorkflowStatus status;
        WorkflowEvent event;
        switch (options.onDeadline()) {
            case SUSPEND -> {
                status = WorkflowStatus.SUSPENDED;
                event = new WorkflowEvent.WorkflowSuspended(instance.id(), instance.definition(), revision, now, message);
            }
            case FAIL, COMPENSATE -> {
                status = WorkflowStatus.FAILED;
                event = new WorkflowEvent.WorkflowFailed(instance.id(), instance.definition(), revision, now, error);
            }
            default -> {
                status = WorkflowStatus.TERMINATED;
                event = new WorkflowEvent.WorkflowTerminated(instance.id(), instance.definition(), revision, now, message);
            }
        }
        boolean finished = status.isFinished();
        WorkflowInstance next = new WorkflowInstance(instance.id(), instance.definition(), status, instance.data(),
                instance.pointers(), instance.nextPointerId(), finished ? null : instance.nextExecution(), revision,
                instance.reference(), instance.createdAt(), now, finished ? now : null, null, errors);
        return new Transition(next, List.of(event));
    }
}
