package net.reactory.workflow.domain.step;

import net.reactory.workflow.domain.definition.DefinitionKey;
import net.reactory.workflow.domain.instance.ReceivedEvent;


import java.time.Instant;

/**
 * What a step body sees.
 *
 * @param instanceId     the workflow instance
 * @param definition     the definition the instance runs on
 * @param step           the step's name
 * @param pointerId      the execution pointer the step runs on
 * @param attempt        1 for the first attempt, raised by each retry
 * @param data           the workflow data, never to be mutated in place
 * @param persistedState what the step asked to keep with {@link ExecutionResult#sleep} or {@link ExecutionResult#persist},
 *                       the {@link ReceivedEvent} it waited for, or null
 * @param now            the runner's clock when the step was started
 * @param item           the value of the branch the step runs in (a foreach item), or null
 */
public record StepContext(String instanceId, DefinitionKey definition, String step, int pointerId,
                          int attempt, Object data, Object persistedState, Instant now, Object item) {

    public StepContext(String instanceId, DefinitionKey definition, String step, int pointerId,
                       int attempt, Object data, Object persistedState, Instant now) {
        this(instanceId, definition, step, pointerId, attempt, data, persistedState, now, null);
    }

    /**
     * Stable across re-executions of the same attempt (instance, pointer and attempt), to de-duplicate a step's
     * side effects: a step may run more than once across crashes. Built on demand, as most steps never ask.
     */
    public String executionId() {
        return instanceId + ":" + pointerId + ":" + attempt;
    }

    @SuppressWarnings("unchecked")
    public <T> T data(Class<T> type) {
        return (T) type.cast(data);
    }

    /** The event the step waited for, or null when it has not arrived (or the step did not wait). */
    public ReceivedEvent receivedEvent() {
        return persistedState instanceof ReceivedEvent e ? e : null;
    }
}
