package net.reactory.workflow.domain.definition;

import net.reactory.workflow.domain.step.ExecutionResult;


import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How a step's failed attempts are retried: exponential backoff from {@code initialDelay}, multiplied by
 * {@code multiplier} per attempt, capped at {@code maxDelay}, spread by {@code jitter} (0 for none, 0.25 for
 * plus or minus a quarter). A null field takes the runner's configured default. How many attempts a step
 * gets is {@link StepDefinition#maxAttempts()}.
 *
 * <p>{@code retryOn} and {@code abortOn} name error types: a class name matches an exception of that class
 * or of a subclass, and the type of a {@link ExecutionResult.Fail}. An error matching {@code abortOn} is
 * never retried; with a non-empty {@code retryOn} only errors matching it are retried.
 */
public record RetrySpec(Duration initialDelay, Duration maxDelay, Double multiplier, Double jitter,
                        Set<String> retryOn, Set<String> abortOn) {

    public static final RetrySpec DEFAULTS = new RetrySpec(null, null, null, null, Set.of(), Set.of());

    public RetrySpec {
        if (initialDelay != null && (initialDelay.isNegative() || initialDelay.isZero())) {
            throw new IllegalArgumentException("initialDelay must be positive: " + initialDelay);
        }
        if (maxDelay != null && (maxDelay.isNegative() || maxDelay.isZero())) {
            throw new IllegalArgumentException("maxDelay must be positive: " + maxDelay);
        }
        if (multiplier != null && !(multiplier >= 1.0)) throw new IllegalArgumentException("multiplier must be at least 1: " + multiplier);
        if (jitter != null && !(jitter >= 0.0 && jitter <= 1.0)) throw new IllegalArgumentException("jitter must be within 0 and 1: " + jitter);
        retryOn = Set.copyOf(Objects.requireNonNull(retryOn, "retryOn"));
        abortOn = Set.copyOf(Objects.requireNonNull(abortOn, "abortOn"));
    }

    /** Exponential backoff from {@code initial} up to {@code max}; the other settings from the runner. */
    public static RetrySpec backoff(Duration initial, Duration max) {
        return new RetrySpec(initial, max, null, null, Set.of(), Set.of());
    }

    public RetrySpec withMultiplier(double value) {
        return new RetrySpec(initialDelay, maxDelay, value, jitter, retryOn, abortOn);
    }

    public RetrySpec withJitter(double value) {
        return new RetrySpec(initialDelay, maxDelay, multiplier, value, retryOn, abortOn);
    }

    @SafeVarargs
    public final RetrySpec retryOn(Class<? extends Throwable>... types) {
        return new RetrySpec(initialDelay, maxDelay, multiplier, jitter, union(retryOn, names(types)), abortOn);
    }

    @SafeVarargs
    public final RetrySpec abortOn(Class<? extends Throwable>... types) {
        return new RetrySpec(initialDelay, maxDelay, multiplier, jitter, retryOn, union(abortOn, names(types)));
    }

    /** Error types by name, such as the type of an {@link ExecutionResult#fail} result, never retried. */
    public RetrySpec abortOnTypes(String... types) {
        return new RetrySpec(initialDelay, maxDelay, multiplier, jitter, retryOn, union(abortOn, Set.of(types)));
    }

    private static Set<String> names(Class<?>[] types) {
        return Arrays.stream(types).map(Class::getName).collect(Collectors.toSet());
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.HashSet<String> out = new java.util.HashSet<>(a);
        out.addAll(b);
        return out;
    }
}
