package net.reactory.workflow.domain.definition;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * When a step that is waiting, sleeping or running branches is given up (workflow-core's {@code CancelCondition}):
 * after every transition that may change the data, each live pointer whose step has a condition that now holds is
 * cancelled, with its branches. With {@code proceed} the flow goes on after the step as if it had completed;
 * otherwise the step's branch ends there (at the top of the workflow, the workflow completes once nothing else runs).
 *
 * @param condition tested on the workflow data; one that throws counts as not holding, so a bad condition never
 *                  stops an instance
 */
public record CancelCondition(Predicate<Object> condition, boolean proceed) {

    public CancelCondition {
        Objects.requireNonNull(condition, "condition");
    }

    /** Whether the step is to be cancelled on {@code data}. */
    public boolean holds(Object data) {
        try {
            return condition.test(data);
        } catch (RuntimeException e) { // NOPMD: the domain cannot log; a condition that cannot answer cancels nothing
            return false;
        }
    }
}
