package net.reactory.workflow.application.port.in;

import java.time.Duration;

/**
 * A circuit breaker of the runner as it stands now.
 *
 * @param name           the dependency, or {@code store}, {@code work-signal}, {@code event-publisher}
 * @param state          {@code CLOSED}, {@code OPEN} or {@code HALF_OPEN}
 * @param remainingDelay while open, how long until it lets a trial call through
 */
public record BreakerState(String name, String state, Duration remainingDelay) {

    public boolean closed() {
        return "CLOSED".equals(state);
    }

    public boolean open() {
        return "OPEN".equals(state);
    }
}
