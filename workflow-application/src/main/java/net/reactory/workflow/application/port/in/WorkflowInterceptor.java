package net.reactory.workflow.application.port.in;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.step.ExecutionResult;

/**
 * Middleware of the runner (workflow-core's step middleware, Temporal's interceptors): called around each attempt of
 * each step, and when a workflow has started and when it has finished. Registered on the runner's builder
 * ({@code WorkflowRunnerService.builder().interceptor(...)}); several run as a chain, the first registered outermost.
 * With none registered, nothing of this is called or allocated.
 *
 * <p>{@link #aroundStep} runs on the step's own thread and wraps the body's call, so a tracer can open a span, make it
 * current, {@link Proceed#proceed() proceed} and close it, and the body sees that context. An interceptor must be
 * cheap and must call {@code proceed} at most once; one that throws fails the attempt (recorded on the instance, like a
 * step that throws), never the runner. The start and finish callbacks come after the commit that started or ended
 * the instance, on whichever node made it; one that throws is logged and ignored.
 */
public interface WorkflowInterceptor {

    /** Wraps one attempt of one step; returns what {@code next} returned, or an outcome of its own. */
    default StepOutcome aroundStep(StepAttempt attempt, Proceed next) throws InterruptedException {
        return next.proceed();
    }

    /** An instance was created and stored: called once per instance, by the node that started it. */
    default void workflowStarted(WorkflowInstance instance) {
    }

    /** An instance finished (complete, failed or terminated), by a step, a command or its deadline. */
    default void workflowFinished(WorkflowInstance instance) {
    }

    /**
     * The trace context to store with a new instance, called once per start before the instance is created (so before
     * {@link #workflowStarted}): {@code instance.traceContext()} is the caller's, or the asking step's for a child
     * workflow, or what the interceptor before this one returned. A tracer opens the workflow's span there and returns
     * its context, so that every step span, on whichever node and however late, is its child. Returns the instance's
     * own by default; what one throws is logged and the context is left as it was.
     */
    default Map<String, String> traceContextAtStart(WorkflowInstance instance) {
        return instance.traceContext();
    }

    /**
     * After each commit that changed an instance, with what changed (retries scheduled, waits begun and ended,
     * compensations, suspensions...), on the committing thread; after {@link #workflowStarted} and before
     * {@link #workflowFinished} of the same commit. One that throws is logged and ignored.
     */
    default void changesCommitted(WorkflowInstance instance, List<WorkflowEvent> changes) {
    }

    /** The rest of the chain, the step body last. */
    @FunctionalInterface
    interface Proceed {
        StepOutcome proceed() throws InterruptedException;
    }

    /**
     * One attempt of one step, as it begins.
     *
     * @param instance  the instance as the step sees it (its data, its definition, its id)
     * @param step      the step's name
     * @param pointerId the execution pointer the step runs on
     * @param attempt   1 for the first attempt, raised by each retry
     * @param item      the value of the branch the step runs in (a foreach item), or null
     * @param startedAt the runner's clock when the attempt began
     */
    record StepAttempt(WorkflowInstance instance, String step, int pointerId, int attempt, Object item, Instant startedAt) {

        public StepAttempt {
            Objects.requireNonNull(instance, "instance");
            Objects.requireNonNull(step, "step");
        }

        /** The same id the step body sees as {@code ctx.executionId()}: stable across re-executions of one attempt. */
        public String executionId() {
            return instance.id() + ":" + pointerId + ":" + attempt;
        }
    }

    /**
     * What an attempt gave: the body's result, or what it threw (a timeout among them). {@code failed()} also holds for
     * a {@link ExecutionResult.Fail} result, which is a failed attempt too.
     */
    record StepOutcome(ExecutionResult result, Throwable failure) {

        public static StepOutcome of(ExecutionResult result) {
            return new StepOutcome(Objects.requireNonNull(result, "result"), null);
        }

        public static StepOutcome failedWith(Throwable failure) {
            return new StepOutcome(null, Objects.requireNonNull(failure, "failure"));
        }

        public boolean failed() {
            return failure != null || result instanceof ExecutionResult.Fail;
        }
    }
}
