package net.reactory.workflow.domain.language;

import net.reactory.workflow.domain.definition.StepKind;


import net.reactory.workflow.domain.definition.ErrorBehaviour;
import net.reactory.workflow.domain.step.StepBody;


import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One entry of a {@link WorkflowBuilder}'s flow: a step and the blocks it owns (branches, a loop body, a
 * compensation), and how it writes itself into a {@link StepsBuilder} as by-name steps with their successors.
 * Writing a flow hands back its open ends: the steps whose successor is whatever follows the flow.
 *
 * @param <D> the workflow data type
 */
abstract class FlowNode<D> {

    final String name;
    final StepBody body;
    /** Set by the builder word that made the node. */
    StepKind kind = StepKind.TASK;
    ErrorBehaviour onError;
    Integer maxAttempts;
    boolean ends;
    /** The block that undoes this step in a saga, or null: on a plain step, a child, a saga, a foreach or a parallel. */
    WorkflowBuilder<D> compensation;
    /** Per-step options (retry, timeout, dependencies...), applied to the node's step as {@link StepsBuilder} declares them. */
    final List<Consumer<StepsBuilder>> options = new ArrayList<>(0);
    /** The step the node's open ends continue at instead of the next node ({@code goTo}); null for the next node. */
    String goTo;

    FlowNode(String name, StepBody body) {
        this.name = name;
        this.body = body;
    }

    /** Writes what follows the node's own step; returns its open ends. */
    abstract List<String> writeRest(StepsBuilder steps, ErrorBehaviour defaultOnError);

    /**
     * Writes a flow's steps; {@code open} are the steps whose successor is the flow's first step.
     * Returns the steps whose successor is whatever follows the flow.
     */
    static <D> List<String> writeFlow(WorkflowBuilder<D> flow, StepsBuilder steps, List<String> open, ErrorBehaviour defaultOnError) {
        List<String> ends = open;
        for (FlowNode<D> node : flow.nodes()) {
            steps.step(node.name, node.body);
            for (String end : ends) steps.atStep(end).goTo(node.name);
            steps.atStep(node.name);
            steps.kind(node.kind);
            steps.onError(node.onError != null ? node.onError : defaultOnError);
            if (node.maxAttempts != null) steps.maxAttempts(node.maxAttempts);
            for (Consumer<StepsBuilder> option : node.options) option.accept(steps);
            ends = node.writeRest(steps, defaultOnError);
            if (node.ends) ends = List.of();
            if (node.goTo != null) {
                for (String end : ends) steps.atStep(end).goTo(node.goTo);
                ends = List.of();
            }
        }
        return ends;
    }

    /** Writes a block owned by step {@code owner}; adds its open ends to {@code endsOut}, returns its first step (null when empty). */
    static <D> String writeBlock(WorkflowBuilder<D> block, StepsBuilder steps, String owner, String what,
                                 ErrorBehaviour defaultOnError, List<String> endsOut) {
        for (String p : block.problems()) steps.problem(p);
        if (block.nodes().isEmpty()) {
            steps.problem(what + " of '" + owner + "' has no steps");
            return null;
        }
        endsOut.addAll(writeFlow(block, steps, List.of(), defaultOnError));
        return block.nodes().get(0).name;
    }

    /** Writes the block that undoes this node's step, if it has one; a compensation that fails fails the workflow. */
    void writeCompensation(StepsBuilder steps) {
        if (compensation == null) return;
        String first = writeBlock(compensation, steps, name, "the compensation", ErrorBehaviour.FAIL, new ArrayList<>());
        if (first != null) steps.atStep(name).compensateWith(first);
    }

    /** A plain step, with the compensation that undoes it in a saga, if any. */
    static final class Task<D> extends FlowNode<D> {

        Task(String name, StepBody body) {
            super(name, body);
        }

        @Override
        List<String> writeRest(StepsBuilder steps, ErrorBehaviour defaultOnError) {
            writeCompensation(steps);
            return List.of(name);
        }
    }

    /**
     * A decide or if: one branch per outcome, and the flow goes on after the branch (or at once, with none matching).
     * Several branches for one outcome run as the branches of a parallel step named {@code decide [value]}, so
     * that the flow goes on once, when all of them have ended.
     */
    static final class Decide<D> extends FlowNode<D> {
        final Map<Object, List<WorkflowBuilder<D>>> branches;

        Decide(String name, StepBody body, Map<Object, List<WorkflowBuilder<D>>> branches) {
            super(name, body);
            this.branches = branches;
        }

        @Override
        List<String> writeRest(StepsBuilder steps, ErrorBehaviour defaultOnError) {
            List<String> ends = new ArrayList<>();
            ends.add(name);
            for (var branch : branches.entrySet()) {
                Object value = branch.getKey();
                List<WorkflowBuilder<D>> blocks = branch.getValue();
                if (blocks.size() == 1) {
                    String first = writeBlock(blocks.get(0), steps, name, "branch '" + value + "'", defaultOnError, ends);
                    if (first != null) steps.atStep(name).onOutcome(value, first);
                    continue;
                }
                String together = StepsBuilder.sideBySideName(name, value);
                steps.step(together, ControlFlowBodies.sideBySide(together)).onError(defaultOnError);
                List<String> firsts = new ArrayList<>();
                for (int i = 0; i < blocks.size(); i++) {
                    String first = writeBlock(blocks.get(i), steps, name, "branch " + (i + 1) + " of '" + value + "'", defaultOnError,
                            new ArrayList<>());
                    if (first != null) firsts.add(first);
                }
                steps.atStep(together).children(firsts.toArray(String[]::new));
                steps.atStep(name).onOutcome(value, together);
                ends.add(together);
            }
            return ends;
        }
    }

    /** A while: the condition step runs the body on true, and the body's ends lead back to the condition. */
    static final class While<D> extends FlowNode<D> {
        final WorkflowBuilder<D> loop;

        While(String name, StepBody body, WorkflowBuilder<D> loop) {
            super(name, body);
            this.loop = loop;
        }

        @Override
        List<String> writeRest(StepsBuilder steps, ErrorBehaviour defaultOnError) {
            List<String> bodyEnds = new ArrayList<>();
            String first = writeBlock(loop, steps, name, "the body", defaultOnError, bodyEnds);
            if (first != null) steps.atStep(name).onOutcome(Boolean.TRUE, first);
            for (String end : bodyEnds) steps.atStep(end).goTo(name);
            return List.of(name);
        }
    }

    /**
     * A step whose blocks run as branches it waits for: foreach, parallel, saga; or, {@code detached}, in the
     * background while the flow goes on (schedule, recur).
     */
    static final class Container<D> extends FlowNode<D> {
        final List<WorkflowBuilder<D>> blocks;
        final boolean detached;
        /** A saga's steps compensate by default when they fail. */
        final boolean saga;

        Container(String name, StepBody body, List<WorkflowBuilder<D>> blocks, boolean detached, boolean saga) {
            super(name, body);
            this.blocks = blocks;
            this.detached = detached;
            this.saga = saga;
        }

        @Override
        List<String> writeRest(StepsBuilder steps, ErrorBehaviour defaultOnError) {
            List<String> firsts = new ArrayList<>();
            ErrorBehaviour inner = saga ? ErrorBehaviour.COMPENSATE : defaultOnError;
            int i = 1;
            for (WorkflowBuilder<D> block : blocks) {
                String first = writeBlock(block, steps, name, blocks.size() > 1 ? "branch " + i : "the block", inner, new ArrayList<>());
                if (first != null) firsts.add(first);
                i++;
            }
            steps.atStep(name).children(firsts.toArray(String[]::new));
            if (detached) steps.detached();
            writeCompensation(steps);
            return List.of(name);
        }
    }
}
