package net.reactory.workflow.adapter.memory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

import net.reactory.workflow.application.port.out.EventStore;
import net.reactory.workflow.application.port.out.EventSubscription;
import net.reactory.workflow.application.port.out.PublishedEvent;

/**
 * The embedded event store. Events and waits are indexed by name and key, so matching one event
 * costs a map look-up, not a scan; a pending event sits in its key's ordered set until
 * {@link #markDelivered} takes it out, which succeeds for one caller only.
 */
public final class MemoryEventStore implements EventStore {

    private record NameKey(String name, String key) {
    }

    private record Pending(Instant effectiveAt, String id) {
    }

    private static final Comparator<Pending> ORDER = Comparator.comparing(Pending::effectiveAt).thenComparing(Pending::id);

    private final Map<String, PublishedEvent> events = new ConcurrentHashMap<>();
    private final Map<String, Boolean> delivered = new ConcurrentHashMap<>();
    private final Map<NameKey, NavigableSet<Pending>> pending = new ConcurrentHashMap<>();
    private final Map<String, EventSubscription> subscriptions = new ConcurrentHashMap<>();
    private final Map<NameKey, List<EventSubscription>> waiting = new ConcurrentHashMap<>();

    @Override
    public boolean append(PublishedEvent event) {
        Objects.requireNonNull(event, "event");
        if (events.putIfAbsent(event.id(), event) != null) return false;
        pending.compute(new NameKey(event.name(), event.key()), (k, set) -> {
            NavigableSet<Pending> s = set != null ? set : new ConcurrentSkipListSet<>(ORDER);
            s.add(new Pending(event.effectiveAt(), event.id()));
            return s;
        });
        return true;
    }

    @Override
    public Optional<PublishedEvent> load(String eventId) {
        return Optional.ofNullable(events.get(eventId));
    }

    @Override
    public void subscribe(EventSubscription subscription) {
        Objects.requireNonNull(subscription, "subscription");
        if (subscriptions.putIfAbsent(subscription.id(), subscription) != null) return;
        waiting.compute(new NameKey(subscription.name(), subscription.key()), (k, list) -> {
            List<EventSubscription> out = new ArrayList<>(list == null ? 1 : list.size() + 1);
            if (list != null) out.addAll(list);
            out.add(subscription);
            return List.copyOf(out);
        });
    }

    @Override
    public List<EventSubscription> subscriptionsFor(String name, String key, Instant effectiveAt) {
        List<EventSubscription> list = waiting.get(new NameKey(name, key));
        if (list == null) return List.of();
        List<EventSubscription> out = new ArrayList<>(list.size());
        for (EventSubscription s : list) if (s.accepts(effectiveAt)) out.add(s);
        return out;
    }

    @Override
    public List<PublishedEvent> pendingEvents(String name, String key, Instant since) {
        NavigableSet<Pending> set = pending.get(new NameKey(name, key));
        if (set == null) return List.of();
        List<PublishedEvent> out = new ArrayList<>();
        for (Pending p : since == null ? set : set.tailSet(new Pending(since, ""), true)) {
            PublishedEvent e = events.get(p.id());
            if (e != null) out.add(e);
        }
        return out;
    }

    @Override
    public boolean removeSubscription(String subscriptionId) {
        EventSubscription s = subscriptions.remove(subscriptionId);
        if (s == null) return false;
        waiting.computeIfPresent(new NameKey(s.name(), s.key()), (k, list) -> {
            List<EventSubscription> out = new ArrayList<>(list.size());
            for (EventSubscription other : list) if (!other.id().equals(subscriptionId)) out.add(other);
            return out.isEmpty() ? null : List.copyOf(out);
        });
        return true;
    }

    @Override
    public boolean markDelivered(String eventId) {
        PublishedEvent e = events.get(eventId);
        if (e == null || delivered.putIfAbsent(eventId, Boolean.TRUE) != null) return false;
        pending.computeIfPresent(new NameKey(e.name(), e.key()), (k, set) -> {
            set.remove(new Pending(e.effectiveAt(), eventId));
            return set.isEmpty() ? null : set;
        });
        return true;
    }

    @Override
    public long purgeDeliveredBefore(Instant cutoff) {
        long removed = 0;
        for (String id : List.copyOf(delivered.keySet())) {
            PublishedEvent e = events.get(id);
            if (e != null && e.publishedAt().isBefore(cutoff) && events.remove(id, e)) {
                delivered.remove(id);
                removed++;
            }
        }
        return removed;
    }
}
