package net.reactory.workflow.application.port.out;

import java.time.Duration;

import net.reactory.workflow.domain.definition.DefinitionKey;

/** Counts what the runner does; implementations must be cheap and must never throw. */
public interface RunnerMetrics {

    default void instanceStarted(DefinitionKey definition) { }

    default void instanceFinished(DefinitionKey definition, String status) { }

    /** An instance ended after {@code duration} from its start; by default only counted, as above. */
    default void instanceFinished(DefinitionKey definition, String status, Duration duration) {
        instanceFinished(definition, status);
    }

    default void stepExecuted(DefinitionKey definition, String step, Duration duration, boolean failed) { }

    default void staleWrite() { }

    default void leaseClaimed(int count) { }

    default void storeError() { }

    RunnerMetrics NONE = new RunnerMetrics() { };
}
