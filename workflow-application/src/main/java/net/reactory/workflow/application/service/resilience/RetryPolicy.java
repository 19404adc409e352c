package net.reactory.workflow.application.service.resilience;

import java.time.Duration;
import java.util.Set;
import java.util.random.RandomGenerator;

import net.reactory.workflow.application.service.RunnerConfig;
import net.reactory.workflow.domain.definition.RetrySpec;
import net.reactory.workflow.domain.definition.StepDefinition;

/**
 * Decides whether a failed attempt is retried and after how long: exponential backoff with a ceiling and
 * jitter, from the step's {@link RetrySpec} and the runner's defaults. The delay is handed to the domain,
 * which puts the pointer to sleep in the store: no thread waits for a retry.
 */
public final class RetryPolicy {

    private final Duration initialDelay;
    private final Duration maxDelay;
    private final double multiplier;
    private final double jitter;
    private final RandomGenerator random;

    public RetryPolicy(RunnerConfig config) {
        this.initialDelay = config.retryInitialDelay();
        this.maxDelay = config.retryMaxDelay();
        this.multiplier = config.resilience().retryMultiplier();
        this.jitter = config.resilience().retryJitter();
        this.random = config.resilience().random();
    }

    /**
     * The delay before the next attempt after {@code failedAttempt} (1 for the first) failed with an error of
     * {@code type} ({@code error} when it was thrown, else null), or null when this error is not to be retried.
     */
    public Duration delayAfter(StepDefinition step, int failedAttempt, String type, Throwable error) {
        RetrySpec spec = step.policy().retry();
        if (spec != null && !retryable(spec, type, error)) return null;
        Duration initial = spec != null && spec.initialDelay() != null ? spec.initialDelay() : initialDelay;
        Duration max = spec != null && spec.maxDelay() != null ? spec.maxDelay() : maxDelay;
        double factor = spec != null && spec.multiplier() != null ? spec.multiplier() : multiplier;
        double spread = spec != null && spec.jitter() != null ? spec.jitter() : jitter;
        Duration base = backoff(initial, max, factor, failedAttempt);
        return spread == 0 ? base : jittered(base, max, spread, random.nextDouble());
    }

    /** {@code initial * multiplier^(failedAttempt - 1)}, never above {@code max}. */
    public static Duration backoff(Duration initial, Duration max, double multiplier, int failedAttempt) {
        double millis = initial.toNanos() / 1e6 * Math.pow(multiplier, Math.max(0, failedAttempt - 1));
        if (!(millis < max.toNanos() / 1e6)) return max;
        return Duration.ofNanos(Math.round(millis * 1e6));
    }

    /**
     * {@code base} spread uniformly over {@code [base * (1 - jitter), base * (1 + jitter)]} by {@code u} in [0, 1),
     * never above {@code max}.
     */
    public static Duration jittered(Duration base, Duration max, double jitter, double u) {
        double factor = 1 - jitter + 2 * jitter * u;
        long nanos = Math.round(base.toNanos() * factor);
        return Duration.ofNanos(Math.min(Math.max(0, nanos), max.toNanos()));
    }

    static boolean retryable(RetrySpec spec, String type, Throwable error) {
        if (!spec.abortOn().isEmpty() && matches(spec.abortOn(), type, error)) return false;
        return spec.retryOn().isEmpty() || matches(spec.retryOn(), type, error);
    }

    private static boolean matches(Set<String> names, String type, Throwable error) {
        if (type != null && names.contains(type)) return true;
        for (Class<?> c = error == null ? null : error.getClass(); c != null; c = c.getSuperclass()) {
            if (names.contains(c.getName())) return true;
        }
        return false;
    }
}
