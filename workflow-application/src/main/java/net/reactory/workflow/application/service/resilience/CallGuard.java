package net.reactory.workflow.application.service.resilience;

import java.time.Duration;

import dev.failsafe.CircuitBreaker;
import net.reactory.workflow.application.service.BreakerStatus;

/**
 * A Failsafe circuit breaker around a port called on the hot path (the store, the broker). While all is well
 * a call costs one volatile read: the breaker itself, which synchronises, is consulted only after a failure
 * and until it has closed again.
 */
public final class CallGuard {

    private final String name;
    private final CircuitBreaker<Object> breaker;
    private volatile boolean troubled;

    CallGuard(String name, int failureThreshold, Duration openDelay) {
        this.name = name;
        this.breaker = CircuitBreaker.builder().withFailureThreshold(failureThreshold).withDelay(openDelay).build();
    }

    /** False while the breaker is open: the call must not be made. */
    boolean allows() {
        return !troubled || breaker.tryAcquirePermit();
    }

    void succeeded() {
        if (troubled) {
            breaker.recordSuccess();
            if (breaker.isClosed()) troubled = false;
        }
    }

    void failed() {
        troubled = true;
        breaker.recordFailure();
    }

    boolean isOpen() {
        return troubled && breaker.isOpen();
    }

    Duration remainingDelay() {
        return troubled ? breaker.getRemainingDelay() : Duration.ZERO;
    }

    public BreakerStatus status() {
        return new BreakerStatus(name, troubled ? breaker.getState().name() : "CLOSED", remainingDelay());
    }
}
