package net.reactory.workflow.adapter.memory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import net.reactory.workflow.application.port.out.EventStore;
import net.reactory.workflow.application.port.out.EventSubscription;
import net.reactory.workflow.application.port.out.PublishedEvent;

/**
 * The plain event store: one process, one lock, indexed by name and key, easy to read and to check against
 * the contract. {@link MemoryEventStore} is the lock-free, compact one the daemon uses; this one suits a
 * library user's tests or a small single node.
 */
public final class LocalEventStore implements EventStore {

    private record NameKey(String name, String key) {
    }

    private static final Comparator<PublishedEvent> ORDER = Comparator.comparing(PublishedEvent::effectiveAt).thenComparing(PublishedEvent::id);

    private final Map<String, PublishedEvent> events = new HashMap<>();
    private final Set<String> delivered = new HashSet<>();
    private final Map<NameKey, List<PublishedEvent>> pending = new HashMap<>();
    private final Map<String, EventSubscription> subscriptions = new HashMap<>();
    private final Map<NameKey, List<EventSubscription>> waiting = new HashMap<>();

    @Override
    public synchronized boolean append(PublishedEvent event) {
        if (events.putIfAbsent(event.id(), event) != null) return false;
        pending.computeIfAbsent(new NameKey(event.name(), event.key()), k -> new ArrayList<>(1)).add(event);
        return true;
    }

    @Override
    public synchronized void subscribe(EventSubscription subscription) {
        EventSubscription earlier = subscriptions.put(subscription.id(), subscription);
        if (subscription.equals(earlier)) return;
        if (earlier != null) unindex(earlier);
        waiting.computeIfAbsent(new NameKey(subscription.name(), subscription.key()), k -> new ArrayList<>(1)).add(subscription);
    }

    @Override
    public synchronized List<EventSubscription> subscriptionsFor(String name, String key, Instant effectiveAt) {
        List<EventSubscription> out = new ArrayList<>();
        for (EventSubscription s : waiting.getOrDefault(new NameKey(name, key), List.of())) {
            if (s.accepts(effectiveAt)) out.add(s);
        }
        return out;
    }

    @Override
    public synchronized List<PublishedEvent> pendingEvents(String name, String key, Instant since) {
        List<PublishedEvent> out = new ArrayList<>();
        for (PublishedEvent e : pending.getOrDefault(new NameKey(name, key), List.of())) {
            if (since == null || !e.effectiveAt().isBefore(since)) out.add(e);
        }
        out.sort(ORDER);
        return out;
    }

    @Override
    public synchronized boolean removeSubscription(EventSubscription subscription) {
        EventSubscription s = subscriptions.get(subscription.id());
        // A wait replaced by one on another name or key is not the one the caller meant.
        if (s == null || !s.name().equals(subscription.name()) || !s.key().equals(subscription.key())) return false;
        subscriptions.remove(subscription.id());
        unindex(s);
        return true;
    }

    private void unindex(EventSubscription s) {
        NameKey k = new NameKey(s.name(), s.key());
        List<EventSubscription> list = waiting.get(k);
        list.remove(s);
        if (list.isEmpty()) waiting.remove(k);
    }

    @Override
    public synchronized boolean markDelivered(String eventId) {
        PublishedEvent e = events.get(eventId);
        if (e == null || !delivered.add(eventId)) return false;
        NameKey k = new NameKey(e.name(), e.key());
        List<PublishedEvent> list = pending.get(k);
        list.remove(e);
        if (list.isEmpty()) pending.remove(k);
        return true;
    }

    @Override
    public synchronized long purgeDeliveredBefore(Instant cutoff) {
        long removed = 0;
        for (String id : List.copyOf(delivered)) {
            PublishedEvent e = events.get(id);
            if (e != null && e.publishedAt().isBefore(cutoff)) {
                events.remove(id);
                delivered.remove(id);
                removed++;
            }
        }
        return removed;
    }
}
