package net.reactory.workflow.application.service.resilience;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import dev.failsafe.CircuitBreaker;
import net.reactory.workflow.application.service.BreakerStatus;
import net.reactory.workflow.application.service.ResilienceConfig;

/**
 * One Failsafe circuit breaker per named external dependency, made when a step first names it. A step that
 * declares dependencies asks for a permit of each before its body runs; while one is refused the step is
 * parked (its pointer sleeps in the store until the breaker lets trial calls through), neither failed nor
 * retried. Its outcome is recorded on each breaker it declares; a failure that leaves a breaker open (the one
 * that opened it, or a failed trial) parks the step too instead of using up one of its attempts. Steps
 * without dependencies never come here.
 */
public final class DependencyBreakers {

    private final Map<String, CircuitBreaker<Object>> breakers = new ConcurrentHashMap<>();
    private final int failureThreshold;
    private final Duration openDelay;
    private final Duration parkRecheck;

    public DependencyBreakers(ResilienceConfig config) {
        this.failureThreshold = config.breakerFailureThreshold();
        this.openDelay = config.breakerOpenDelay();
        this.parkRecheck = config.parkRecheck();
    }

    private CircuitBreaker<Object> breaker(String dependency) {
        return breakers.computeIfAbsent(dependency, d -> CircuitBreaker.builder()
                .withFailureThreshold(failureThreshold).withSuccessThreshold(1).withDelay(openDelay).build());
    }

    /**
     * Takes a permit of every dependency, or says how long to park when one refuses. A refusal after an
     * earlier dependency gave its permit leaves that permit unused; in a half-open breaker it counts as a
     * trial that never reported, which the breaker's next outcome settles.
     *
     * @return null when the step may run now
     */
    public Duration parkFor(List<String> dependencies) {
        for (String dependency : dependencies) {
            CircuitBreaker<Object> b = breaker(dependency);
            if (!b.tryAcquirePermit()) {
                Duration remaining = b.getRemainingDelay();
                return remaining.isZero() || remaining.isNegative() ? parkRecheck : remaining;
            }
        }
        return null;
    }

    /** How long to park when one of the dependencies' breakers is not closed (open, or half-open on trial), else null. */
    public Duration openFor(List<String> dependencies) {
        for (String dependency : dependencies) {
            CircuitBreaker<Object> b = breaker(dependency);
            if (!b.isClosed()) {
                Duration remaining = b.getRemainingDelay();
                return remaining.isZero() || remaining.isNegative() ? parkRecheck : remaining;
            }
        }
        return null;
    }

    public void succeeded(List<String> dependencies) {
        for (String d : dependencies) breaker(d).recordSuccess();
    }

    public void failed(List<String> dependencies) {
        for (String d : dependencies) breaker(d).recordFailure();
    }

    /** Every dependency's breaker by name. */
    public Map<String, BreakerStatus> states() {
        Map<String, BreakerStatus> out = new TreeMap<>();
        breakers.forEach((name, b) -> out.put(name, new BreakerStatus(name, b.getState().name(), b.getRemainingDelay())));
        return out;
    }

    /** The breaker of one dependency; CLOSED for one no step has used yet. */
    public BreakerStatus state(String dependency) {
        CircuitBreaker<Object> b = breakers.get(dependency);
        return b == null ? new BreakerStatus(dependency, "CLOSED", Duration.ZERO)
                : new BreakerStatus(dependency, b.getState().name(), b.getRemainingDelay());
    }
}
