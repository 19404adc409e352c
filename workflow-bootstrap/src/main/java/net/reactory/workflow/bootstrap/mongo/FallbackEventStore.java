package net.reactory.workflow.bootstrap.mongo;

import java.time.Instant;
import java.util.List;

import net.reactory.workflow.application.port.out.EventStore;
import net.reactory.workflow.application.port.out.EventSubscription;
import net.reactory.workflow.application.port.out.PublishedEvent;

/** The event store of a {@link MemoryFallback}: memory, then MongoDB once the move is done. */
final class FallbackEventStore implements EventStore {

    private final MemoryFallback fallback;

    FallbackEventStore(MemoryFallback fallback) {
        this.fallback = fallback;
    }

    @Override
    public boolean append(PublishedEvent event) {
        return fallback.onEvents(s -> s.append(event));
    }

    @Override
    public void subscribe(EventSubscription subscription) {
        fallback.onEvents(s -> {
            s.subscribe(subscription);
            return null;
        });
    }

    @Override
    public List<EventSubscription> subscriptionsFor(String name, String key, Instant effectiveAt) {
        return fallback.onEvents(s -> s.subscriptionsFor(name, key, effectiveAt));
    }

    @Override
    public List<PublishedEvent> pendingEvents(String name, String key, Instant since) {
        return fallback.onEvents(s -> s.pendingEvents(name, key, since));
    }

    @Override
    public boolean removeSubscription(EventSubscription subscription) {
        return fallback.onEvents(s -> s.removeSubscription(subscription));
    }

    @Override
    public boolean markDelivered(String eventId) {
        return fallback.onEvents(s -> s.markDelivered(eventId));
    }

    @Override
    public boolean markDelivered(PublishedEvent event) {
        return fallback.onEvents(s -> s.markDelivered(event));
    }

    @Override
    public long purgeDeliveredBefore(Instant cutoff) {
        return fallback.onEvents(s -> s.purgeDeliveredBefore(cutoff));
    }
}
