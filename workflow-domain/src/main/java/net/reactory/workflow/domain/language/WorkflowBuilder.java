package net.reactory.workflow.domain.language;

import net.reactory.workflow.domain.definition.StepKind;


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
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToIntBiFunction;
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
public final class WorkflowBuilder<D> extends ControlFlowWords<D> {

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
        final Map<Object, List<WorkflowBuilder<D>>> branches = new LinkedHashMap<>();

        Decision(WorkflowBuilder<D> owner) {
            this.owner = owner;
        }

        /**
         * When the selector returns {@code value}, run {@code branch}, then go on after the decide. Several branches
         * for one value run side by side (as workflow-core runs every branch whose value matches), and the flow goes
         * on once all of them have ended.
         */
        public Decision<D> when(Object value, Consumer<WorkflowBuilder<D>> branch) {
            if (value == null) {
                owner.problems.add("a branch for the outcome null can never be chosen: a decide whose selector returns null"
                        + " goes on after itself");
                return this;
            }
            branches.computeIfAbsent(value, v -> new ArrayList<>()).add(owner.sub(branch));
            return this;
        }
    }

    private final Class<D> type;
    private final String nameSpace;
    private final String name;
    private final String version;
    private final List<FlowNode<D>> nodes = new ArrayList<>();
    final List<String> problems = new ArrayList<>();
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

    @Override
    WorkflowBuilder<D> self() {
        return this;
    }

    @Override
    WorkflowBuilder<D> sub(Consumer<WorkflowBuilder<D>> block) {
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

    /**
     * workflow-core's {@code CancelCondition}: the last step (a wait, a delay, a child, a foreach... any step still live)
     * is given up, with its branches, once {@code condition} holds on the data; its branch ends there, as in workflow-core.
     * The condition is checked after every step result, the one way the data changes (an event changes it through the
     * step that receives it), so a step of a parallel branch can cancel a wait of another.
     */
    public WorkflowBuilder<D> cancelWhen(Predicate<D> condition) {
        return cancelWhen(condition, false);
    }

    /** As {@link #cancelWhen(Predicate)}; with {@code proceedAfterCancel} the flow goes on after the cancelled step. */
    public WorkflowBuilder<D> cancelWhen(Predicate<D> condition, boolean proceedAfterCancel) {
        Predicate<Object> typedCondition = condition == null ? null : data -> condition.test(data == null ? null : type.cast(data));
        return option("cancelWhen", steps -> steps.cancelWhen(typedCondition, proceedAfterCancel));
    }

    /** In a saga, {@code compensation} undoes the last step once it has completed. */
    public WorkflowBuilder<D> compensateWith(String stepName, UnaryOperator<D> compensation) {
        return compensateWith(flow -> flow.then(stepName, compensation));
    }

    /**
     * In a saga, the sequence {@code compensation} undoes the last step once it has completed: a plain step, a child
     * workflow, or a whole saga, foreach or parallel. A container's compensation undoes it as a whole, in place of the
     * compensations of its own steps, when a later failure compensates the enclosing saga; and when a failure inside
     * the container compensates it, it runs after its steps' compensations (workflow-core's {@code CompensateWith}
     * on a saga).
     */
    public WorkflowBuilder<D> compensateWith(Consumer<WorkflowBuilder<D>> compensation) {
        FlowNode<D> last = last("compensateWith");
        if (last == null) return this;
        if (last instanceof FlowNode.Task<D> || (last instanceof FlowNode.Container<D> container && !container.detached)) {
            if (last.compensation != null) problems.add("step '" + last.name + "' has two compensations");
            last.compensation = sub(compensation);
        } else {
            problems.add("compensateWith after '" + last.name + "': a decide, an if, a while, a schedule or a recur cannot be"
                    + " compensated as a whole; compensate the steps inside it");
        }
        return this;
    }

    /** Says what the last step is, for showing the definition (a JSON reader's {@code end} step, say); the builder words set it themselves. */
    public WorkflowBuilder<D> kind(StepKind kind) {
        FlowNode<D> last = last("kind");
        if (last != null && kind != null) last.kind = kind;
        return this;
    }

    /** The workflow (or the branch) ends after the last step. */
    public WorkflowBuilder<D> end() {
        FlowNode<D> last = last("end");
        if (last != null) {
            last.ends = true;
            last.goTo = null;
        }
        return this;
    }

    /**
     * The last step continues at the step named {@code stepName} instead of the next one: backwards for a loop, or
     * forwards to skip. After a decide or an if, every branch's end (and the decide itself, when no branch matches)
     * continues there. A jump stays in its block or goes from a decide, if or while block to the flow around it; it
     * cannot enter or leave a foreach, parallel, saga, schedule or recur. A step after it is reached only by a jump.
     */
    public WorkflowBuilder<D> goTo(String stepName) {
        FlowNode<D> last = last("goTo");
        if (last == null) return this;
        if (stepName == null || stepName.isBlank()) {
            problems.add("step '" + last.name + "' goes to a step with no name");
        } else {
            last.goTo = stepName;
            last.ends = false;
        }
        return this;
    }

    /** workflow-core's word for {@link #goTo}: the last step continues at the step named {@code stepName}. */
    public WorkflowBuilder<D> attach(String stepName) {
        return goTo(stepName);
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
            for (String p : Jumps.problems(this)) steps.problem(p);
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

    @Override
    WorkflowBuilder<D> add(FlowNode<D> node, StepKind kind) {
        node.kind = kind;
        return add(node);
    }

    private FlowNode<D> last(String what) {
        if (nodes.isEmpty()) {
            problems.add(what + " has no step before it");
            return null;
        }
        return nodes.get(nodes.size() - 1);
    }

    @Override
    StepBody typed(TypedBody<D> body) {
        return ctx -> body.run(ctx.data() == null ? null : type.cast(ctx.data()), ctx);
    }
}
