package net.reactory.workflow.domain.definition;

import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.step.StepBody;


import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One node of a definition's step graph.
 *
 * @param id       position in the definition's step list
 * @param name     unique within the definition
 * @param body     user code
 * @param next     id of the successor, or {@link #NONE} when the workflow ends after this step
 * @param outcomes outcome value to successor id, chosen by {@link ExecutionResult.Outcome}
 * @param onError  what happens when the step's last attempt failed
 * @param maxAttempts attempts before {@code onError} applies (1: no retry)
 * @param policy   retry backoff, timeout and dependencies; {@link StepPolicy#NONE} for none
 * @param children first steps of the branches this container starts with {@link ExecutionResult.Branch}; empty for a plain step
 * @param compensation first step of the chain that undoes this step in a saga, or {@link #NONE}
 * @param detached  a background container (schedule, recur): reaching it also goes on to {@code next} at once,
 *                  and the container itself ends without a successor
 * @param kind     what the step is in the flow (task, decide, foreach...), for showing the definition only
 */
public record StepDefinition(int id, String name, StepBody body, int next, Map<Object, Integer> outcomes,
                             ErrorBehaviour onError, int maxAttempts, StepPolicy policy, List<Integer> children,
                             int compensation, boolean detached, StepKind kind) {

    public static final int NONE = -1;

    public StepDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(body, "body");
        outcomes = Map.copyOf(outcomes);
        Objects.requireNonNull(onError, "onError");
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        policy = policy == null ? StepPolicy.NONE : policy;
        children = children == null ? List.of() : List.copyOf(children);
        kind = kind == null ? StepKind.TASK : kind;
    }

    /** A step of no particular kind ({@link StepKind#TASK}). */
    public StepDefinition(int id, String name, StepBody body, int next, Map<Object, Integer> outcomes,
                          ErrorBehaviour onError, int maxAttempts, StepPolicy policy, List<Integer> children,
                          int compensation, boolean detached) {
        this(id, name, body, next, outcomes, onError, maxAttempts, policy, children, compensation, detached, StepKind.TASK);
    }

    /** A step with no resilience settings of its own. */
    public StepDefinition(int id, String name, StepBody body, int next, Map<Object, Integer> outcomes,
                          ErrorBehaviour onError, int maxAttempts) {
        this(id, name, body, next, outcomes, onError, maxAttempts, StepPolicy.NONE);
    }

    /** A plain step: no branches, no compensation. */
    public StepDefinition(int id, String name, StepBody body, int next, Map<Object, Integer> outcomes,
                          ErrorBehaviour onError, int maxAttempts, StepPolicy policy) {
        this(id, name, body, next, outcomes, onError, maxAttempts, policy, List.of(), NONE, false);
    }

    public StepDefinition withPolicy(StepPolicy newPolicy) {
        return new StepDefinition(id, name, body, next, outcomes, onError, maxAttempts, newPolicy, children, compensation, detached, kind);
    }

    /** The successor for an outcome value: the matching branch, else the plain successor. */
    public int successorFor(Object outcome) {
        Integer target = outcome == null ? null : outcomes.get(outcome);
        return target != null ? target : next;
    }

    public boolean isContainer() {
        return !children.isEmpty();
    }
}
