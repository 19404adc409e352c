package net.reactory.workflow.domain.language;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToIntBiFunction;

import net.reactory.workflow.domain.definition.StepKind;
import net.reactory.workflow.domain.language.WorkflowBuilder.Decision;
import net.reactory.workflow.domain.language.WorkflowBuilder.TypedBody;
import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.step.StepBody;
import net.reactory.workflow.domain.step.StepContext;

/**
 * The control-flow words of {@link WorkflowBuilder}: decide, if, while, foreach, schedule, recur, waits, sagas and
 * child workflows. They live apart from the plain steps, options and jumps of the builder so that neither file holds
 * the whole vocabulary; a user only ever sees {@code WorkflowBuilder}, which inherits them.
 */
abstract class ControlFlowWords<D> {

    /** Adds {@code node} as the flow's next step, of {@code kind}. */
    abstract WorkflowBuilder<D> add(FlowNode<D> node, StepKind kind);

    /** The step body of a typed body: the data cast to {@code D}. */
    abstract StepBody typed(TypedBody<D> body);

    /** This builder, as the type its words return. */
    abstract WorkflowBuilder<D> self();

    /** A block of steps written by {@code block}, nested in this flow. */
    abstract WorkflowBuilder<D> sub(Consumer<WorkflowBuilder<D>> block);

    /** Runs the branch whose value the selector returns, then goes on; with no matching branch goes on at once. */
    public WorkflowBuilder<D> decide(String stepName, Function<D, ?> selector, Consumer<Decision<D>> branches) {
        Objects.requireNonNull(selector, "selector");
        return decide(stepName, (BiFunction<D, StepContext, ?>) (data, ctx) -> selector.apply(data), branches);
    }

    /** As {@link #decide(String, Function, Consumer)}, the selector also seeing the step's context (item, attempt, now...). */
    public WorkflowBuilder<D> decide(String stepName, BiFunction<D, StepContext, ?> selector, Consumer<Decision<D>> branches) {
        Objects.requireNonNull(selector, "selector");
        Decision<D> decision = new Decision<>(self());
        branches.accept(decision);
        return add(new FlowNode.Decide<>(stepName, typed((data, ctx) -> ExecutionResult.outcome(selector.apply(data, ctx))), decision.branches), StepKind.DECIDE);
    }

    /** Runs {@code block} when the condition holds, then goes on. */
    public WorkflowBuilder<D> ifThen(String stepName, Predicate<D> condition, Consumer<WorkflowBuilder<D>> block) {
        Objects.requireNonNull(condition, "condition");
        return ifThen(stepName, (BiPredicate<D, StepContext>) (data, ctx) -> condition.test(data), block);
    }

    /** As {@link #ifThen(String, Predicate, Consumer)}, the condition also seeing the step's context. */
    public WorkflowBuilder<D> ifThen(String stepName, BiPredicate<D, StepContext> condition, Consumer<WorkflowBuilder<D>> block) {
        Objects.requireNonNull(condition, "condition");
        Map<Object, List<WorkflowBuilder<D>>> branches = new LinkedHashMap<>();
        branches.put(Boolean.TRUE, List.of(sub(block)));
        return add(new FlowNode.Decide<>(stepName, typed((data, ctx) -> ExecutionResult.outcome(condition.test(data, ctx))), branches), StepKind.IF);
    }

    /** Runs {@code body} again and again while the condition holds. Finished iterations leave nothing behind on the instance. */
    public WorkflowBuilder<D> whileDo(String stepName, Predicate<D> condition, Consumer<WorkflowBuilder<D>> body) {
        Objects.requireNonNull(condition, "condition");
        return whileDo(stepName, (BiPredicate<D, StepContext>) (data, ctx) -> condition.test(data), body);
    }

    /** As {@link #whileDo(String, Predicate, Consumer)}, the condition also seeing the step's context. */
    public WorkflowBuilder<D> whileDo(String stepName, BiPredicate<D, StepContext> condition, Consumer<WorkflowBuilder<D>> body) {
        Objects.requireNonNull(condition, "condition");
        return add(new FlowNode.While<>(stepName, typed((data, ctx) -> ExecutionResult.outcome(condition.test(data, ctx))), sub(body)), StepKind.WHILE);
    }

    /** Runs {@code body} once per item, one after the other; the body sees its item as {@link StepContext#item()}. */
    public WorkflowBuilder<D> forEach(String stepName, Function<D, ? extends Collection<?>> items, Consumer<WorkflowBuilder<D>> body) {
        return forEach(stepName, items, 1, body);
    }

    /** Runs {@code body} once per item, at most {@code parallelism} at a time (0: all at once). */
    public WorkflowBuilder<D> forEach(String stepName, Function<D, ? extends Collection<?>> items, int parallelism,
                                      Consumer<WorkflowBuilder<D>> body) {
        Objects.requireNonNull(items, "items");
        if (parallelism < 0) self().problems.add("foreach '" + stepName + "' asks for parallelism " + parallelism + ": 0 (all) or more is needed");
        int degree = Math.max(0, parallelism);
        return forEach(stepName, (data, ctx) -> items.apply(data), (data, ctx) -> degree, body);
    }

    /** Runs {@code body} once per item of the list the data and the context give, one after the other. */
    public WorkflowBuilder<D> forEach(String stepName, BiFunction<D, StepContext, ? extends Collection<?>> items,
                                      Consumer<WorkflowBuilder<D>> body) {
        return forEach(stepName, items, (data, ctx) -> 1, body);
    }

    /**
     * Runs {@code body} once per item, at most as many at a time as {@code parallelism} says when the foreach is reached
     * (0: all at once), both worked out from the data and the context. A null list or a negative degree fails the step.
     */
    public WorkflowBuilder<D> forEach(String stepName, BiFunction<D, StepContext, ? extends Collection<?>> items,
                                      ToIntBiFunction<D, StepContext> parallelism, Consumer<WorkflowBuilder<D>> body) {
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(parallelism, "parallelism");
        StepBody container = typed(ControlFlowBodies.forEach(stepName, items, parallelism));
        return add(new FlowNode.Container<>(stepName, container, List.of(sub(body)), false, false), StepKind.FOREACH);
    }

    /** Runs the branches side by side and goes on when all have ended. */
    @SafeVarargs
    public final WorkflowBuilder<D> parallel(String stepName, Consumer<WorkflowBuilder<D>>... branches) {
        if (branches.length < 2) self().problems.add("parallel '" + stepName + "' needs at least two branches, has " + branches.length);
        List<WorkflowBuilder<D>> flows = new ArrayList<>();
        for (Consumer<WorkflowBuilder<D>> b : branches) flows.add(sub(b));
        return add(new FlowNode.Container<>(stepName, typed(ControlFlowBodies.parallel(stepName)), flows, false, false), StepKind.PARALLEL);
    }

    public WorkflowBuilder<D> delay(String stepName, Duration duration) {
        Objects.requireNonNull(duration, "duration");
        return delay(stepName, data -> duration);
    }

    /** Waits for the duration the data says, without holding a thread. */
    public WorkflowBuilder<D> delay(String stepName, Function<D, Duration> duration) {
        Objects.requireNonNull(duration, "duration");
        return delay(stepName, (BiFunction<D, StepContext, Duration>) (data, ctx) -> duration.apply(data));
    }

    /** Waits for the duration the data and the context say (an item's own delay, a backoff by attempt...). */
    public WorkflowBuilder<D> delay(String stepName, BiFunction<D, StepContext, Duration> duration) {
        Objects.requireNonNull(duration, "duration");
        return add(new FlowNode.Task<>(stepName, typed(ControlFlowBodies.delay(duration))), StepKind.DELAY);
    }

    /** Runs {@code block} in the background once {@code after} has passed; the flow goes on at once. */
    public WorkflowBuilder<D> schedule(String stepName, Function<D, Duration> after, Consumer<WorkflowBuilder<D>> block) {
        Objects.requireNonNull(after, "after");
        return schedule(stepName, (BiFunction<D, StepContext, Duration>) (data, ctx) -> after.apply(data), block);
    }

    /** As {@link #schedule(String, Function, Consumer)}, the delay also seeing the step's context. */
    public WorkflowBuilder<D> schedule(String stepName, BiFunction<D, StepContext, Duration> after, Consumer<WorkflowBuilder<D>> block) {
        Objects.requireNonNull(after, "after");
        StepBody container = typed(ControlFlowBodies.schedule(stepName, after));
        return add(new FlowNode.Container<>(stepName, container, List.of(sub(block)), true, false), StepKind.SCHEDULE);
    }

    /**
     * Runs {@code block} in the background at once, then every {@code interval} (counted from the end of the last run)
     * until the condition holds, as workflow-core's {@code Recur}: a condition true from the start runs it never.
     * The flow goes on at once.
     */
    public WorkflowBuilder<D> recur(String stepName, Function<D, Duration> interval, Predicate<D> until, Consumer<WorkflowBuilder<D>> block) {
        StepBody container = typed(ControlFlowBodies.recur(stepName, interval, until));
        return add(new FlowNode.Container<>(stepName, container, List.of(sub(block)), true, false), StepKind.RECUR);
    }

    /**
     * Waits for the external event {@code eventName} with the key the data gives; {@code onEvent} folds the
     * event's data into new data. An event published before the wait began and not yet delivered counts.
     */
    public WorkflowBuilder<D> waitFor(String stepName, String eventName, Function<D, String> key, BiFunction<D, Object, D> onEvent) {
        return waitFor(stepName, eventName, key, data -> null, onEvent);
    }

    /** As {@link #waitFor(String, String, Function, BiFunction)}, accepting only events effective at or after the given time. */
    public WorkflowBuilder<D> waitFor(String stepName, String eventName, Function<D, String> key, Function<D, Instant> effectiveAt,
                                      BiFunction<D, Object, D> onEvent) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(effectiveAt, "effectiveAt");
        return waitFor(stepName, eventName, (data, ctx) -> key.apply(data), (data, ctx) -> effectiveAt.apply(data), onEvent);
    }

    /**
     * As {@link #waitFor(String, String, Function, Function, BiFunction)}, the key and the effective time also seeing the
     * step's context: a foreach item's own key, a time counted from {@link StepContext#now()}. A null time accepts any
     * event not yet delivered.
     */
    public WorkflowBuilder<D> waitFor(String stepName, String eventName, BiFunction<D, StepContext, String> key,
                                      BiFunction<D, StepContext, Instant> effectiveAt, BiFunction<D, Object, D> onEvent) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(effectiveAt, "effectiveAt");
        return add(new FlowNode.Task<>(stepName, typed(ControlFlowBodies.waitFor(eventName, key, effectiveAt, onEvent))), StepKind.WAIT_FOR);
    }

    /**
     * A saga: when a step of {@code block} fails for good, the compensations of the steps completed so far run,
     * newest first, then the workflow fails (or, with {@link #onError}, is terminated or suspended).
     */
    public WorkflowBuilder<D> saga(String stepName, Consumer<WorkflowBuilder<D>> block) {
        return saga(stepName, block, false);
    }

    /** A saga that, once compensated, goes on after itself instead of failing the workflow. */
    public WorkflowBuilder<D> saga(String stepName, Consumer<WorkflowBuilder<D>> block, boolean continueAfterCompensation) {
        StepBody container = typed(ControlFlowBodies.saga(stepName, continueAfterCompensation));
        return add(new FlowNode.Container<>(stepName, container, List.of(sub(block)), false, true), StepKind.SAGA);
    }

    /** Starts the newest version of workflow {@code workflowId} as a child and waits for it; see the overload. */
    public WorkflowBuilder<D> child(String stepName, String workflowId, Function<D, Object> input, BiFunction<D, Object, D> output) {
        return child(stepName, workflowId, null, input, output);
    }

    /**
     * Starts workflow {@code workflowId} at {@code version} (newest when null) with the input the data gives, and
     * waits for it to finish: {@code output} folds the child's final data into new data. A child that does not
     * complete fails this step, and the step's error behaviour (fail, compensate...) applies.
     */
    public WorkflowBuilder<D> child(String stepName, String workflowId, String version, Function<D, Object> input,
                                    BiFunction<D, Object, D> output) {
        return add(new FlowNode.Task<>(stepName, typed(ControlFlowBodies.child(workflowId, version, input, output))), StepKind.CHILD);
    }
}
