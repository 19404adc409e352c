package net.reactory.workflow.application.port.out;

import java.time.Instant;
import java.util.Objects;

/**
 * A pointer waiting for an external event.
 *
 * @param id         unique per wait: instance, pointer and attempt; subscribing twice with one id changes nothing
 * @param instanceId the waiting instance
 * @param pointerId  the waiting pointer
 * @param since      matches events effective at or after this time; null matches any event still undelivered
 * @param createdAt  when the wait began
 */
public record EventSubscription(String id, String instanceId, int pointerId, String name, String key, Instant since,
                                Instant createdAt) {

    public EventSubscription {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** Whether an event effective at {@code effectiveAt} is one this wait accepts. */
    public boolean accepts(Instant effectiveAt) {
        return since == null || !effectiveAt.isBefore(since);
    }
}
