package net.reactory.workflow.domain.definition;

import java.time.Duration;
import java.util.List;

/**
 * The resilience settings of one step, beside its {@link StepDefinition#maxAttempts() attempts} and
 * {@link StepDefinition#onError() error behaviour}.
 *
 * @param retry        backoff and which errors are retried; null for the runner's defaults
 * @param timeout      an attempt running longer is interrupted and counts as failed; null for none
 * @param dependencies names of the external dependencies the step calls: while one's circuit breaker is
 *                     open the step is parked, neither run nor failed
 * @param cancel       when the step, waiting, sleeping or running branches, is given up; null for never
 */
public record StepPolicy(RetrySpec retry, Duration timeout, List<String> dependencies, CancelCondition cancel) {

    /** No retry settings of its own, no timeout, no dependency: what most steps have, and free to run. */
    public static final StepPolicy NONE = new StepPolicy(null, null, List.of(), null);

    public StepPolicy {
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        dependencies = List.copyOf(dependencies);
    }

    /** A policy with no cancel condition. */
    public StepPolicy(RetrySpec retry, Duration timeout, List<String> dependencies) {
        this(retry, timeout, dependencies, null);
    }

    public boolean hasDependencies() {
        return !dependencies.isEmpty();
    }

    public StepPolicy withRetry(RetrySpec value) {
        return new StepPolicy(value, timeout, dependencies, cancel);
    }

    public StepPolicy withTimeout(Duration value) {
        return new StepPolicy(retry, value, dependencies, cancel);
    }

    public StepPolicy withDependencies(List<String> value) {
        return new StepPolicy(retry, timeout, value, cancel);
    }

    public StepPolicy withCancel(CancelCondition value) {
        return new StepPolicy(retry, timeout, dependencies, value);
    }
}
