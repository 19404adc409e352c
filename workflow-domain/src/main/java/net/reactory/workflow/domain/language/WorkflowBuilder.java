package net.reactory.workflow.domain.language;

import net.reactory.workflow.domain.definition.ErrorBehaviour;
import net.reactory.workflow.domain.definition.RetrySpec;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.definition.WorkflowComponent;
import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.step.StepBody;
import net.reactory.workflow.domain.step.StepContext;


import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The typed, fluent way to write a workflow whose data is a {@code D} (a record, normally). Steps read the
 * data and return new data; nothing is mutated in place. Control flow — decide, if, while, foreach (sequential
 * or parallel), parallel branches, delay, schedule, recur, wait-for-event, saga with compensation, child
 * workflows — compiles to the same by-name step graph as {@link StepsBuilder}, so the runner needs to know
 * nothing of this class.
 *
 * <p>The builder records the flow as {@link FlowNode}s, which write themselves as steps on registration; the
 * step bodies behind the control-flow words (how a container asks for its branches and learns they ended)
 * are in {@link ControlFlowBodies}.
 *
 * <pre>{@code
 * Workflow order = WorkflowBuilder.define("shop", "Order", "1.0.0", Order.class)
 *         .startWith("reserve", o -> o.withReserved(true))
 *         .waitFor("paid", "order.paid", Order::id, (o, payment) -> o.withPayment(payment))
 *         .forEach("ship", Order::lines, 4, line -> line.then("pack", (o, ctx) -> ExecutionResult.next()))
 *         .build();
 * }</pre>
 *
 * @param <D> the workflow data type
 */
public final class WorkflowBuilder<D> {

    /** A step body that sees the typed data and the context. */
    @FunctionalInterface
    public interface TypedBody<D> {
        ExecutionResult run(D data, StepContext context) throws Exception;
    }

    /** A reusable step with its own input and output types; {@code then(name, input, step, output)} maps them. */
    @FunctionalInterface
    public interface TypedStep<I, O> {
        O run(I input) throws Exception;
    }

    /** The branches of a {@code decide}. */
    public static final class Decision<D> {
        private final WorkflowBuilder<D> owner;
        private final Map<Object, WorkflowBuilder<D>> branches = new LinkedHashMap<>();

        private Decision(WorkflowBuilder<D> owner) {
            this.owner = owner;
        }

        /** When the selector returns {@code value}, run {@code branch}, then go on after the decide. */
        public Decision<D> when(Object value, Consumer<WorkflowBuilder<D>> branch) {
            branches.put(value, owner.sub(branch));
            return this;
        }
    }

    private final Class<D> type;
    private final String nameSpace;
    private final String name;
    private final String version;
    private final List<FlowNode<D>> nodes = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private String category = "workflow";
    private boolean autoStart;
    private Map<String, Object> props = Map.of();

    /** Shared by a workflow and its blocks: numbers the steps given no name. */
    private final int[] unnamed;

    private WorkflowBuilder(Class<D> type, String nameSpace, String name, String version, int[] unnamed) {
        this.unnamed = unnamed;
        this.type = Objects.requireNonNull(type, "type");
        this.nameSpace = nameSpace;
        this.name = name;
        this.version = version;
    }

    /** A workflow {@code nameSpace.name@version} whose data is a {@code type}. */
    public static <D> WorkflowBuilder<D> define(String nameSpace, String name, String version, Class<D> type) {
        return new WorkflowBuilder<>(type, nameSpace, name, version, new int[1]);
    }

    private WorkflowBuilder<D> sub(Consumer<WorkflowBuilder<D>> block) {
        WorkflowBuilder<D> flow = new WorkflowBuilder<>(type, null, null, null, unnamed);
        if (block != null) block.accept(flow);
        return flow;
    }

    // ------------------------------------------------------------------ options of the workflow

    public WorkflowBuilder<D> category(String value) {
        this.category = value;
        return this;
    }

    public WorkflowBuilder<D> autoStart(boolean value) {
        this.autoStart = value;
        return this;
    }

    public WorkflowBuilder<D> props(Map<String, Object> value) {
        this.props = value;
        return this;
    }

    // ------------------------------------------------------------------ plain steps

    /** The first step; the same as {@link #then(String, UnaryOperator)}, named for readability. */
    public WorkflowBuilder<D> startWith(String stepName, UnaryOperator<D> update) {
        return then(stepName, update);
    }

    public WorkflowBuilder<D> startWith(String stepName, TypedBody<D> body) {
        return then(stepName, body);
    }

    /** An inline step with no name of its own: it is called {@code step N}, N counting such steps from 1. */
    public WorkflowBuilder<D> then(UnaryOperator<D> update) {
        return then("step " + ++unnamed[0], update);
    }

    /** An inline step with no name of its own that says what happens next. */
    public WorkflowBuilder<D> then(TypedBody<D> body) {
        return then("step " + ++unnamed[0], body);
    }

    /** A step that returns new data (or the same data to keep it). */
    public WorkflowBuilder<D> then(String stepName, UnaryOperator<D> update) {
        Objects.requireNonNull(update, "update");
        return then(stepName, (TypedBody<D>) (data, ctx) -> ControlFlowBodies.next(data, update.apply(data)));
    }

    /** A step that says what happens next: {@link ExecutionResult#next}, an outcome, a sleep, a failure... */
    public WorkflowBuilder<D> then(String stepName, TypedBody<D> body) {
        Objects.requireNonNull(body, "body");
        return add(new FlowNode.Task<>(stepName, typed(body)));
    }

    /** A reusable step: {@code input} picks its input from the data, {@code output} folds its result into new data. */
    public <I, O> WorkflowBuilder<D> then(String stepName, Function<D, I> input, TypedStep<I, O> step, BiFunction<D, O, D> output) {
        Objects.requireNonNull(step, "step");
        return then(stepName, (TypedBody<D>) (data, ctx) -> ControlFlowBodies.next(data, output.apply(data, step.run(input.apply(data)))));
    }

    /** An untyped step body, as {@link StepsBuilder} takes it. */
    public WorkflowBuilder<D> step(String stepName, StepBody body) {
        return add(new FlowNode.Task<>(stepName, Objects.requireNonNull(body, "body")));
    }

    // ------------------------------------------------------------------ settings of the last step

    /** What happens when the last step fails its last attempt. Inside a saga the default is {@link ErrorBehaviour#COMPENSATE}. */
    public WorkflowBuilder<D> onError(ErrorBehaviour behaviour) {
        FlowNode<D> last = last("onError");
        if (last != null) last.onError = behaviour;
        return this;
    }

    public WorkflowBuilder<D> maxAttempts(int attempts) {
        FlowNode<D> last = last("maxAttempts");
        if (last != null) last.maxAttempts = attempts;
        return this;
    }

    /** How the last step's failed attempts are retried: backoff, jitter, which errors (attempts with {@link #maxAttempts}). */
    public WorkflowBuilder<D> retry(RetrySpec spec) {
        return option("retry", steps -> steps.retry(spec));
    }

    /** An attempt of the last step running longer than {@code timeout} is interrupted and counts as failed. */
    public WorkflowBuilder<D> timeout(Duration timeout) {
        return option("timeout", steps -> steps.timeout(timeout));
    }

    /** The external dependencies the last step calls, each guarded by its own circuit breaker: while one is open the step is parked. */
    public WorkflowBuilder<D> dependsOn(String... dependencies) {
        String[] copy = dependencies == null ? new String[] {null} : dependencies.clone();
        return option("dependsOn", steps -> steps.dependsOn(copy));
    }

    /** In a saga, {@code compensation} undoes the last step once it has completed. */
    public WorkflowBuilder<D> compensateWith(String stepName, UnaryOperator<D> compensation) {
        return compensateWith(flow -> flow.then(stepName, compensation));
    }

    /** In a saga, the sequence {@code compensation} undoes the last step once it has completed. */
    public WorkflowBuilder<D> compensateWith(Consumer<WorkflowBuilder<D>> compensation) {
        FlowNode<D> last = last("compensateWith");
        if (last instanceof FlowNode.Task<D> task) {
            if (task.compensation != null) problems.add("step '" + task.name + "' has two compensations");
            task.compensation = sub(compensation);
        } else if (last != null) {
            problems.add("compensateWith after '" + last.name + "': only a plain step can be compensated");
        }
        return this;
    }

    /** The workflow (or the branch) ends after the last step. */
    public WorkflowBuilder<D> end() {
        FlowNode<D> last = last("end");
        if (last != null) last.ends = true;
        return this;
    }

    // ------------------------------------------------------------------ control flow

    /** Runs the branch whose value the selector returns, then goes on; with no matching branch goes on at once. */
    public WorkflowBuilder<D> decide(String stepName, Function<D, ?> selector, Consumer<Decision<D>> branches) {
        Decision<D> decision = new Decision<>(this);
        branches.accept(decision);
        return add(new FlowNode.Decide<>(stepName, typed((data, ctx) -> ExecutionResult.outcome(selector.apply(data))), decision.branches));
    }

    /** Runs {@code block} when the condition holds, then goes on. */
    public WorkflowBuilder<D> ifThen(String stepName, Predicate<D> condition, Consumer<WorkflowBuilder<D>> block) {
        Map<Object, WorkflowBuilder<D>> branches = new LinkedHashMap<>();
        branches.put(Boolean.TRUE, sub(block));
        return add(new FlowNode.Decide<>(stepName, typed((data, ctx) -> ExecutionResult.outcome(condition.test(data))), branches));
    }

    /** Runs {@code body} again and again while the condition holds. Finished iterations leave nothing behind on the instance. */
    public WorkflowBuilder<D> whileDo(String stepName, Predicate<D> condition, Consumer<WorkflowBuilder<D>> body) {
        return add(new FlowNode.While<>(stepName, typed((data, ctx) -> ExecutionResult.outcome(condition.test(data))), sub(body)));
    }

    /** Runs {@code body} once per item, one after the other; the body sees its item as {@link StepContext#item()}. */
    public WorkflowBuilder<D> forEach(String stepName, Function<D, ? extends Collection<?>> items, Consumer<WorkflowBuilder<D>> body) {
        return forEach(stepName, items, 1, body);
    }

    /** Runs {@code body} once per item, at most {@code parallelism} at a time (0: all at once). */
    public WorkflowBuilder<D> forEach(String stepName, Function<D, ? extends Collection<?>> items, int parallelism,
                                      Consumer<WorkflowBuilder<D>> body) {
        if (parallelism < 0) problems.add("foreach '" + stepName + "' asks for parallelism " + parallelism + ": 0 (all) or more is needed");
        StepBody container = typed(ControlFlowBodies.forEach(stepName, items, Math.max(0, parallelism)));
        return add(new FlowNode.Container<>(stepName, container, List.of(sub(body)), false, false));
    }

    /** Runs the branches side by side and goes on when all have ended. */
    @SafeVarargs
    public final WorkflowBuilder<D> parallel(String stepName, Consumer<WorkflowBuilder<D>>... branches) {
        if (branches.length < 2) problems.add("parallel '" + stepName + "' needs at least two branches, has " + branches.length);
        List<WorkflowBuilder<D>> flows = new ArrayList<>();
        for (Consumer<WorkflowBuilder<D>> b : branches) flows.add(sub(b));
        return add(new FlowNode.Container<>(stepName, typed(ControlFlowBodies.parallel(stepName)), flows, false, false));
    }

    public WorkflowBuilder<D> delay(String stepName, Duration duration) {
        Objects.requireNonNull(duration, "duration");
        return delay(stepName, data -> duration);
    }

    /** Waits for the duration the data says, without holding a thread. */
    public WorkflowBuilder<D> delay(String stepName, Function<D, Duration> duration) {
        return add(new FlowNode.Task<>(stepName, typed(ControlFlowBodies.delay(duration))));
    }

    /** Runs {@code block} in the background once {@code after} has passed; the flow goes on at once. */
    public WorkflowBuilder<D> schedule(String stepName, Function<D, Duration> after, Consumer<WorkflowBuilder<D>> block) {
        StepBody container = typed(ControlFlowBodies.schedule(stepName, after));
        return add(new FlowNode.Container<>(stepName, container, List.of(sub(block)), true, false));
    }

    /** Runs {@code block} in the background every {@code interval} until the condition holds; the flow goes on at once. */
    public WorkflowBuilder<D> recur(String stepName, Function<D, Duration> interval, Predicate<D> until, Consumer<WorkflowBuilder<D>> block) {
        StepBody container = typed(ControlFlowBodies.recur(stepName, interval, until));
        return add(new FlowNode.Container<>(stepName, container, List.of(sub(block)), true, false));
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
        return add(new FlowNode.Task<>(stepName, typed(ControlFlowBodies.waitFor(eventName, key, effectiveAt, onEvent))));
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
        return add(new FlowNode.Container<>(stepName, container, List.of(sub(block)), false, true));
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
        return add(new FlowNode.Task<>(stepName, typed(ControlFlowBodies.child(workflowId, version, input, output))));
    }

    // ------------------------------------------------------------------ building

    /** The workflow, ready to register; mistakes in the flow are reported on registration, all at once. */
    public Workflow build() {
        if (nameSpace == null) throw new IllegalStateException("build() is for a whole workflow, not a block");
        return new Workflow(nameSpace, name, version, component(), category, autoStart, props);
    }

    /** The steps as a component, for {@link Workflow} or to embed in another definition. */
    public WorkflowComponent component() {
        return steps -> {
            for (String p : problems) steps.problem(p);
            // The open ends of the top flow have no successor: the workflow ends there.
            FlowNode.writeFlow(this, steps, List.of(), ErrorBehaviour.FAIL);
        };
    }

    /** The flow's nodes, in order, for {@link FlowNode} to write. */
    List<FlowNode<D>> nodes() {
        return nodes;
    }

    /** Mistakes made while declaring this flow, reported on registration. */
    List<String> problems() {
        return problems;
    }

    private WorkflowBuilder<D> add(FlowNode<D> node) {
        nodes.add(node);
        return this;
    }

    /** Records an option of the last step, declared on its by-name step when the flow is written (and checked there). */
    private WorkflowBuilder<D> option(String what, Consumer<StepsBuilder> option) {
        FlowNode<D> last = last(what);
        if (last != null) last.options.add(option);
        return this;
    }

    private FlowNode<D> last(String what) {
        if (nodes.isEmpty()) {
            problems.add(what + " has no step before it");
            return null;
        }
        return nodes.get(nodes.size() - 1);
    }

    private StepBody typed(TypedBody<D> body) {
        return ctx -> body.run(ctx.data() == null ? null : type.cast(ctx.data()), ctx);
    }
}
