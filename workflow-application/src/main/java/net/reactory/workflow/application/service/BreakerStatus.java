package net.reactory.workflow.application.service;

import java.time.Duration;

/**
 * A circuit breaker as it stands now.
 *
 * @param name           the dependency, or {@code store}, {@code work-signal}, {@code event-publisher}
 * @param state          {@code CLOSED}, {@code OPEN} or {@code HALF_OPEN}
 * @param remainingDelay while open, how long until it lets a trial call through
 */
public record BreakerStatus(String name, String state, Duration remainingDelay) {
}
