package net.reactory.workflow.application.service;

import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * How a runner node behaves.
 *
 * @param nodeId         this node's lease owner id; unique per process
 * @param pollInterval   how often the safety-net poller looks for due work (timers, crashed nodes, lost signals)
 * @param leaseDuration  how long a claim holds without renewal
 * @param maxConcurrent  step bodies running at once on this node
 * @param claimBatch     instances claimed per poll at most
 * @param durability     when transitions are written to the store
 * @param burstMaxDelay  in burst mode, the longest run of steps between two writes
 * @param stopTimeout    how long {@code stop()} waits for running steps before handing them back
 * @param retryInitialDelay first retry delay; each further retry doubles it
 * @param retryMaxDelay  ceiling of the retry delay
 * @param resilience     jitter, default step timeout, circuit breakers, input size limit
 */
public record RunnerConfig(String nodeId, Duration pollInterval, Duration leaseDuration, int maxConcurrent, int claimBatch,
                           Durability durability, Duration burstMaxDelay, Duration stopTimeout,
                           Duration retryInitialDelay, Duration retryMaxDelay, ResilienceConfig resilience) {

    public enum Durability {
        /** Write after every step (default): a crash repeats at most the step that was running. */
        PER_STEP,
        /** Write when the instance waits, sleeps or finishes, and at most every {@code burstMaxDelay}: fewer store round trips. */
        BURST
    }

    public RunnerConfig {
        Objects.requireNonNull(nodeId, "nodeId");
        positive(pollInterval, "pollInterval");
        positive(leaseDuration, "leaseDuration");
        if (maxConcurrent < 1) throw new IllegalArgumentException("maxConcurrent must be at least 1: " + maxConcurrent);
        if (claimBatch < 1) throw new IllegalArgumentException("claimBatch must be at least 1: " + claimBatch);
        Objects.requireNonNull(durability, "durability");
        positive(burstMaxDelay, "burstMaxDelay");
        positive(stopTimeout, "stopTimeout");
        positive(retryInitialDelay, "retryInitialDelay");
        positive(retryMaxDelay, "retryMaxDelay");
        Objects.requireNonNull(resilience, "resilience");
    }

    public static RunnerConfig defaults() {
        return new RunnerConfig("node-" + UUID.randomUUID(), Duration.ofSeconds(1), Duration.ofSeconds(30), 1024, 256,
                Durability.PER_STEP, Duration.ofMillis(200), Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofMinutes(5),
                ResilienceConfig.defaults());
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive: " + d);
    }

    public RunnerConfig withNodeId(String v) { return new RunnerConfig(v, pollInterval, leaseDuration, maxConcurrent, claimBatch, durability, burstMaxDelay, stopTimeout, retryInitialDelay, retryMaxDelay, resilience); }
    public RunnerConfig withPollInterval(Duration v) { return new RunnerConfig(nodeId, v, leaseDuration, maxConcurrent, claimBatch, durability, burstMaxDelay, stopTimeout, retryInitialDelay, retryMaxDelay, resilience); }
    public RunnerConfig withLeaseDuration(Duration v) { return new RunnerConfig(nodeId, pollInterval, v, maxConcurrent, claimBatch, durability, burstMaxDelay, stopTimeout, retryInitialDelay, retryMaxDelay, resilience); }
    public RunnerConfig withMaxConcurrent(int v) { return new RunnerConfig(nodeId, pollInterval, leaseDuration, v, claimBatch, durability, burstMaxDelay, stopTimeout, retryInitialDelay, retryMaxDelay, resilience); }
    public RunnerConfig withClaimBatch(int v) { return new RunnerConfig(nodeId, pollInterval, leaseDuration, maxConcurrent, v, durability, burstMaxDelay, stopTimeout, retryInitialDelay, retryMaxDelay, resilience); }
    public RunnerConfig withDurability(Durability v) { return new RunnerConfig(nodeId, pollInterval, leaseDuration, maxConcurrent, claimBatch, v, burstMaxDelay, stopTimeout, retryInitialDelay, retryMaxDelay, resilience); }
    public RunnerConfig withStopTimeout(Duration v) { return new RunnerConfig(nodeId, pollInterval, leaseDuration, maxConcurrent, claimBatch, durability, burstMaxDelay, v, retryInitialDelay, retryMaxDelay, resilience); }
    public RunnerConfig withRetryDelays(Duration initial, Duration max) { return new RunnerConfig(nodeId, pollInterval, leaseDuration, maxConcurrent, claimBatch, durability, burstMaxDelay, stopTimeout, initial, max, resilience); }
    public RunnerConfig withResilience(ResilienceConfig v) { return new RunnerConfig(nodeId, pollInterval, leaseDuration, maxConcurrent, claimBatch, durability, burstMaxDelay, stopTimeout, retryInitialDelay, retryMaxDelay, v); }
}
