package net.reactory.workflow.domain.language;

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
    ErrorBehaviour onError;
    Integer maxAttempts;
    boolean ends;
    /** Per-step options (retry, timeout, dependencies...), applied to the node's step as {@link StepsBuilder} declares them. */
    final List<Consumer<StepsBuilder>> options = new ArrayList<>(0);

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
            steps.onError(node.onError != null ? node.onError : defaultOnError);
            if (node.maxAttempts != null) steps.maxAttempts(node.maxAttempts);
            for (Consumer<StepsBuilder> option : node.options) option.accept(steps);
            ends = node.writeRest(steps, defaultOnError);
            if (node.ends) ends = List.of();
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

    /** A plain step, with the compensation that undoes it in a saga, if any. */
    static final class Task<D> extends FlowNode<D> {
        WorkflowBuilder<D> compensation;

        Task(String name, StepBody body) {
            super(name, body);
        }

        @Override
        List<String> writeRest(StepsBuilder steps, ErrorBehaviour defaultOnError) {
            if (compensation != null) {
                String first = writeBlock(compensation, steps, name, "the compensation", ErrorBehaviour.FAIL, new ArrayList<>());
                if (first != null) steps.atStep(name).compensateWith(first);
            }
            return List.of(name);
        }
    }

    /** A decide or if: one branch per outcome, and the flow goes on after the branch (or at once, with none matching). */
    static final class Decide<D> extends FlowNode<D> {
        final Map<Object, WorkflowBuilder<D>> branches;

        Decide(String name, StepBody body, Map<Object, WorkflowBuilder<D>> branches) {
            super(name, body);
            this.branches = branches;
        }

        @Override
        List<String> writeRest(StepsBuilder steps, ErrorBehaviour defaultOnError) {
            List<String> ends = new ArrayList<>();
            ends.add(name);
            for (var branch : branches.entrySet()) {
                String first = writeBlock(branch.getValue(), steps, name, "branch '" + branch.getKey() + "'", defaultOnError, ends);
                if (first != null) steps.atStep(name).onOutcome(branch.getKey(), first);
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
            return List.of(name);
        }
    }
}
