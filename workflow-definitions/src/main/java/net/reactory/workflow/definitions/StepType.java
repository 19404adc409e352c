package net.reactory.workflow.definitions;

import java.util.Map;

import net.reactory.workflow.domain.step.StepBody;

/**
 * A kind of step a JSON definition can name in {@code "type"}. The body it creates sees the workflow data
 * as a {@code Map<String, Object>} and returns new data rather than changing it.
 */
@FunctionalInterface
public interface StepType {

    /**
     * Makes the step's body from the step's {@code "params"} object (empty when absent).
     *
     * @throws IllegalArgumentException saying what is wrong with the parameters; the reader adds file and path
     */
    StepBody create(Map<String, Object> params);
}
