package net.reactory.workflow.application.port.out;

import java.time.Instant;
import java.util.Objects;

/**
 * A pointer waiting for an external event. A pointer waits for one event at a time, so the instance and the
 * pointer identify the wait; {@link #id()} is derived from them rather than stored, which keeps a million
 * waits a million strings lighter in an embedded store.
 *
 * @param instanceId the waiting instance
 * @param pointerId  the waiting pointer
 * @param since      matches events effective at or after this time; null matches any event still undelivered
 * @param createdAt  when the wait began
 */
public record EventSubscription(String instanceId, int pointerId, String name, String key, Instant since, Instant createdAt) {

    public EventSubscription {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** The wait's identity, {@code instanceId:pointerId}: subscribing twice with one id changes nothing. */
    public String id() {
        return instanceId + ":" + pointerId;
    }

    /** Whether {@code other} is the same wait (same instance and pointer), whatever else it says. */
    public boolean sameWait(EventSubscription other) {
        return pointerId == other.pointerId && instanceId.equals(other.instanceId);
    }

    /** Whether an event effective at {@code effectiveAt} is one this wait accepts. */
    public boolean accepts(Instant effectiveAt) {
        return since == null || !effectiveAt.isBefore(since);
    }
}
