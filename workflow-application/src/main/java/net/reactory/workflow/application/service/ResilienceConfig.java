package net.reactory.workflow.application.service;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The runner's resilience defaults; a step or workflow may override the step-level ones.
 *
 * @param retryJitter             spread of each retry delay, 0 for none, 0.2 for plus or minus a fifth
 * @param retryMultiplier         backoff factor per attempt
 * @param defaultStepTimeout      timeout of an attempt of a step that declares none, nor its workflow; null for none
 * @param breakerFailureThreshold consecutive failures of steps calling a dependency that open its breaker
 * @param breakerOpenDelay        how long a dependency's breaker stays open before it lets a trial call through
 * @param parkRecheck             how long a step parked behind a half-open breaker waits before looking again
 * @param storeFailureThreshold   consecutive store failures that open the store's breaker
 * @param storeOpenDelay          how long the store's breaker stays open before a trial call
 * @param maxInputBytes           largest accepted start data, in bytes as JSON would write it; 0 for no limit
 * @param random                  draws the jitter
 */
public record ResilienceConfig(double retryJitter, double retryMultiplier, Duration defaultStepTimeout,
                               int breakerFailureThreshold, Duration breakerOpenDelay, Duration parkRecheck,
                               int storeFailureThreshold, Duration storeOpenDelay, long maxInputBytes,
                               RandomGenerator random) {

    public static final long ONE_MIB = 1024 * 1024;

    public ResilienceConfig {
        if (!(retryJitter >= 0 && retryJitter <= 1)) throw new IllegalArgumentException("retryJitter must be within 0 and 1: " + retryJitter);
        if (!(retryMultiplier >= 1)) throw new IllegalArgumentException("retryMultiplier must be at least 1: " + retryMultiplier);
        if (defaultStepTimeout != null) positive(defaultStepTimeout, "defaultStepTimeout");
        if (breakerFailureThreshold < 1) throw new IllegalArgumentException("breakerFailureThreshold must be at least 1");
        positive(breakerOpenDelay, "breakerOpenDelay");
        positive(parkRecheck, "parkRecheck");
        if (storeFailureThreshold < 1) throw new IllegalArgumentException("storeFailureThreshold must be at least 1");
        positive(storeOpenDelay, "storeOpenDelay");
        if (maxInputBytes < 0) throw new IllegalArgumentException("maxInputBytes must not be negative");
        Objects.requireNonNull(random, "random");
    }

    public static ResilienceConfig defaults() {
        return new ResilienceConfig(0.2, 2.0, null, 5, Duration.ofSeconds(30), Duration.ofSeconds(1), 3, Duration.ofSeconds(1),
                ONE_MIB, RandomGenerator.getDefault());
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive: " + d);
    }

    public ResilienceConfig withRetryJitter(double v) { return new ResilienceConfig(v, retryMultiplier, defaultStepTimeout, breakerFailureThreshold, breakerOpenDelay, parkRecheck, storeFailureThreshold, storeOpenDelay, maxInputBytes, random); }
    public ResilienceConfig withRetryMultiplier(double v) { return new ResilienceConfig(retryJitter, v, defaultStepTimeout, breakerFailureThreshold, breakerOpenDelay, parkRecheck, storeFailureThreshold, storeOpenDelay, maxInputBytes, random); }
    public ResilienceConfig withDefaultStepTimeout(Duration v) { return new ResilienceConfig(retryJitter, retryMultiplier, v, breakerFailureThreshold, breakerOpenDelay, parkRecheck, storeFailureThreshold, storeOpenDelay, maxInputBytes, random); }
    public ResilienceConfig withBreaker(int threshold, Duration openDelay) { return new ResilienceConfig(retryJitter, retryMultiplier, defaultStepTimeout, threshold, openDelay, parkRecheck, storeFailureThreshold, storeOpenDelay, maxInputBytes, random); }
    public ResilienceConfig withParkRecheck(Duration v) { return new ResilienceConfig(retryJitter, retryMultiplier, defaultStepTimeout, breakerFailureThreshold, breakerOpenDelay, v, storeFailureThreshold, storeOpenDelay, maxInputBytes, random); }
    public ResilienceConfig withStoreBreaker(int threshold, Duration openDelay) { return new ResilienceConfig(retryJitter, retryMultiplier, defaultStepTimeout, breakerFailureThreshold, breakerOpenDelay, parkRecheck, threshold, openDelay, maxInputBytes, random); }
    public ResilienceConfig withMaxInputBytes(long v) { return new ResilienceConfig(retryJitter, retryMultiplier, defaultStepTimeout, breakerFailureThreshold, breakerOpenDelay, parkRecheck, storeFailureThreshold, storeOpenDelay, v, random); }
    public ResilienceConfig withRandom(RandomGenerator v) { return new ResilienceConfig(retryJitter, retryMultiplier, defaultStepTimeout, breakerFailureThreshold, breakerOpenDelay, parkRecheck, storeFailureThreshold, storeOpenDelay, maxInputBytes, v); }
}
