package net.reactory.workflow.domain.language;

import net.reactory.workflow.domain.instance.ChildResult;
import net.reactory.workflow.domain.instance.Compensated;
import net.reactory.workflow.domain.instance.ReceivedEvent;
import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.step.StepContext;


import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToIntBiFunction;

import net.reactory.workflow.domain.language.WorkflowBuilder.TypedBody;

/**
 * The step bodies behind {@link WorkflowBuilder}'s control-flow words. A container step runs more than once:
 * first it asks for its branches ({@link ExecutionResult#branch}); once they have ended it runs again with
 * the persisted state {@link #JOINED}, or with a {@link Compensated} when a branch was compensated. A step
 * that sleeps first runs again with {@link #DUE} once the sleep is over.
 */
final class ControlFlowBodies {

    /** The state a container is given back once its branches have ended. */
    static final String JOINED = "joined";
    /** The state a step that slept is given back once its sleep is over. */
    static final String DUE = "due";

    private ControlFlowBodies() {
    }

    static <D> TypedBody<D> forEach(String stepName, BiFunction<D, StepContext, ? extends Collection<?>> items,
                                    ToIntBiFunction<D, StepContext> degree) {
        return (data, ctx) -> {
            if (JOINED.equals(ctx.persistedState())) return ExecutionResult.next();
            if (ctx.persistedState() instanceof Compensated c) return branchCompensated(stepName, c);
            return forEachBranches(stepName, items.apply(data, ctx), degree.applyAsInt(data, ctx));
        };
    }

    /** The branches of a foreach whose items and degree may come from the data: refused with a typed failure when unusable. */
    private static ExecutionResult forEachBranches(String stepName, Collection<?> values, int degree) {
        if (values == null) return ExecutionResult.fail("InvalidForEach", "foreach '" + stepName + "' was given no item list (null)");
        if (degree < 0) {
            return ExecutionResult.fail("InvalidForEach", "foreach '" + stepName + "' was given parallelism " + degree
                    + ": 0 (all at once) or more is needed");
        }
        return ExecutionResult.branch(new ArrayList<>(values), degree, JOINED);
    }

    static <D> TypedBody<D> parallel(String stepName) {
        return (data, ctx) -> {
            if (JOINED.equals(ctx.persistedState())) return ExecutionResult.next();
            if (ctx.persistedState() instanceof Compensated c) return branchCompensated(stepName, c);
            return ExecutionResult.branch(List.of(), 0, JOINED);
        };
    }

    /** The parallel step that runs several branches of one outcome side by side; it reads no data. */
    static net.reactory.workflow.domain.step.StepBody sideBySide(String stepName) {
        TypedBody<Object> body = parallel(stepName);
        return ctx -> body.run(null, ctx);
    }

    static <D> TypedBody<D> delay(BiFunction<D, StepContext, Duration> duration) {
        return (data, ctx) -> DUE.equals(ctx.persistedState()) ? ExecutionResult.next() : ExecutionResult.sleep(duration.apply(data, ctx), DUE);
    }

    /** Sleeps, then runs its block once in the background. */
    static <D> TypedBody<D> schedule(String stepName, BiFunction<D, StepContext, Duration> after) {
        return (data, ctx) -> {
            Object state = ctx.persistedState();
            if (state == null) return ExecutionResult.sleep(after.apply(data, ctx), DUE);
            if (DUE.equals(state)) return ExecutionResult.branch(Collections.singletonList(ctx.item()), 1, JOINED);
            if (state instanceof Compensated c) return branchCompensated(stepName, c);
            return ExecutionResult.next();
        };
    }

    /**
     * Runs its block at once, then again each time the interval has passed since the last run ended, until the
     * condition holds (checked before each run and after each run): workflow-core's {@code Recur}, except that a run
     * never overlaps the next.
     */
    static <D> TypedBody<D> recur(String stepName, Function<D, Duration> interval, Predicate<D> until) {
        return (data, ctx) -> {
            Object state = ctx.persistedState();
            if (state instanceof Compensated c) return branchCompensated(stepName, c);
            if (until.test(data)) return ExecutionResult.next();
            if (JOINED.equals(state)) return ExecutionResult.sleep(interval.apply(data), DUE);
            return ExecutionResult.branch(Collections.singletonList(ctx.item()), 1, JOINED);
        };
    }

    static <D> TypedBody<D> waitFor(String eventName, BiFunction<D, StepContext, String> key, BiFunction<D, StepContext, Instant> effectiveAt,
                                    BiFunction<D, Object, D> onEvent) {
        return (data, ctx) -> {
            ReceivedEvent event = ctx.receivedEvent();
            if (event == null) return ExecutionResult.waitForEvent(eventName, key.apply(data, ctx), effectiveAt.apply(data, ctx));
            return next(data, onEvent.apply(data, event.data()));
        };
    }

    /** Runs its block as one branch; once compensated, fails the workflow or goes on after itself. */
    static <D> TypedBody<D> saga(String stepName, boolean continueAfterCompensation) {
        return (data, ctx) -> {
            Object state = ctx.persistedState();
            if (JOINED.equals(state)) return ExecutionResult.next();
            if (state instanceof Compensated c) {
                return continueAfterCompensation ? ExecutionResult.next()
                        : ExecutionResult.fail("SagaCompensated", "saga '" + stepName + "' was compensated after "
                        + (c.cause() == null ? "a failure" : "step '" + c.cause().step() + "' failed: " + c.cause().message()));
            }
            return ExecutionResult.branch(Collections.singletonList(ctx.item()), 1, JOINED);
        };
    }

    /** Starts the child, then, given its result as an event, folds its data in or fails. */
    static <D> TypedBody<D> child(String workflowId, String version, Function<D, Object> input, BiFunction<D, Object, D> output) {
        return (data, ctx) -> {
            ReceivedEvent event = ctx.receivedEvent();
            if (event == null) return ExecutionResult.startChild(workflowId, version, input.apply(data));
            ChildResult result = ChildResult.from(event.data());
            if (result.succeeded()) return next(data, output.apply(data, result.data()));
            return ExecutionResult.fail("ChildWorkflowFailed", "child instance " + result.instanceId() + " of " + workflowId
                    + " ended as " + result.status() + (result.error() == null ? "" : ": " + result.error().message()));
        };
    }

    /** Goes on, carrying {@code after} when the step changed the data. */
    static <D> ExecutionResult next(D before, D after) {
        return after == null || after == before ? ExecutionResult.next() : ExecutionResult.next(after);
    }

    private static ExecutionResult branchCompensated(String stepName, Compensated c) {
        return ExecutionResult.fail("BranchCompensated", "a branch of '" + stepName + "' was compensated"
                + (c.cause() == null ? "" : " after step '" + c.cause().step() + "' failed: " + c.cause().message()));
    }
}
