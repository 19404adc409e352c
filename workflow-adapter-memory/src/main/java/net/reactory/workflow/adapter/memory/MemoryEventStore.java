package net.reactory.workflow.adapter.memory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import net.reactory.workflow.application.port.out.EventStore;
import net.reactory.workflow.application.port.out.EventSubscription;
import net.reactory.workflow.application.port.out.PublishedEvent;

/**
 * The embedded event store. Waits and pending events are indexed together by name, then key, so matching an
 * event costs two map look-ups and every change on one key is one atomic {@code compute} of that key's entry.
 *
 * <p>It is built to hold a million waits in little memory: a key with a single wait and nothing pending maps
 * straight to that {@link EventSubscription} (no list, no holder, no name-key pair), the index by instance costs a slot
 * of an array per waiting instance ({@link WaitsByInstance}), and a delivered event shrinks
 * to its id and publication time, which is all the idempotency of {@link #append} and the purge need.
 */
public final class MemoryEventStore implements EventStore {

    /**
     * What waits and what is pending on one name and key, each oldest first; both arrays immutable once shared. A pending
     * event is held by its stored key, so that a delivery finds the key here without parsing the event's id again.
     */
    private record Slot(EventSubscription[] waits, EventIdKey[] pending) {
    }

    private static final EventSubscription[] NO_WAITS = {};
    private static final EventIdKey[] NOTHING_PENDING = {};
    private static final Comparator<PublishedEvent> EFFECTIVE_ORDER =
            Comparator.comparing(PublishedEvent::effectiveAt).thenComparing(PublishedEvent::id);

    private final Duration deliveredRetention;
    private final AtomicBoolean purging = new AtomicBoolean();
    private volatile Instant nextPurge = Instant.MIN;

    /**
     * Event id → its key itself ({@link EventIdKey}), which holds the event while pending and says when it was published:
     * a delivered event is remembered in 80 bytes, the map's entry included.
     */
    private final Map<EventIdKey, EventIdKey> events = new ConcurrentHashMap<>();
    /** Event name → key → a lone {@link EventSubscription} or a {@link Slot}. Names are few and their maps stay. */
    private final Map<String, Map<String, Object>> byName = new ConcurrentHashMap<>();
    /**
     * Instance id → its waits, a lone {@link EventSubscription} or an array (one per waiting pointer): where a pointer's
     * registration is, so that registering it again replaces it. About 16 bytes per waiting instance.
     */
    private final WaitsByInstance waitsByInstance = new WaitsByInstance();

    /** Keeps delivered event ids until {@link #purgeDeliveredBefore} removes them (the runner does, daily). */
    public MemoryEventStore() {
        this.deliveredRetention = null;
    }

    /**
     * Also forgets delivered events by itself once they were published {@code deliveredRetention} ago, so a
     * long-running process keeps flat memory; publishing such an id again then counts as a new event. The
     * store has no clock: deliveries tell it the time, and it sweeps at most every quarter of the retention.
     */
    public MemoryEventStore(Duration deliveredRetention) {
        if (deliveredRetention.isNegative() || deliveredRetention.isZero()) {
            throw new IllegalArgumentException("deliveredRetention must be positive: " + deliveredRetention);
        }
        this.deliveredRetention = deliveredRetention;
    }

    @Override
    public boolean append(PublishedEvent event) {
        Objects.requireNonNull(event, "event");
        // The id is claimed inside the key's compute, as markDelivered settles it there: the two never interleave.
        boolean[] stored = {false};
        keysOf(event.name()).compute(event.key(), (k, v) -> {
            EventIdKey id = EventIdKey.pending(event);
            if (events.putIfAbsent(id, id) != null) return v;
            stored[0] = true;
            return slot(waitsOf(v), inserted(pendingOf(v), id));
        });
        return stored[0];
    }

    /**
     * A new registration replaces the pointer's earlier one wherever it was (a step that ran again may wait on another
     * name or key), found through {@link #waitsByInstance}. The instance's entry (its segment) is always locked before a
     * key's, by subscribe and remove alike, so the two indexes change together and never deadlock.
     */
    @Override
    public void subscribe(EventSubscription subscription) {
        Objects.requireNonNull(subscription, "subscription");
        // The runner registers each wait twice, before and after its instance's save: the second finds it as it was.
        waitsByInstance.compute(subscription.instanceId(), v -> {
            EventSubscription earlier = waitOf(v, subscription);
            if (subscription.equals(earlier)) return v;
            if (earlier != null) unindex(earlier);
            keysOf(subscription.name()).compute(subscription.key(), (k, slot) -> {
                EventSubscription[] waits = waitsOf(slot);
                EventSubscription[] more = Arrays.copyOf(waits, waits.length + 1);
                more[waits.length] = subscription;
                return slot(more, pendingOf(slot));
            });
            return instanceWaits(withoutWait(v, earlier), subscription);
        });
    }

    @Override
    public List<EventSubscription> subscriptionsFor(String name, String key, Instant effectiveAt) {
        Object v = valueOf(name, key);
        if (v instanceof EventSubscription one) return one.accepts(effectiveAt) ? List.of(one) : List.of();
        List<EventSubscription> out = new ArrayList<>();
        for (EventSubscription s : waitsOf(v)) if (s.accepts(effectiveAt)) out.add(s);
        return out;
    }

    @Override
    public List<PublishedEvent> pendingEvents(String name, String key, Instant since) {
        EventIdKey[] pending = pendingOf(valueOf(name, key));
        List<PublishedEvent> out = new ArrayList<>(pending.length);
        for (EventIdKey k : pending) {
            // Null when a delivery took it after this slot was read.
            PublishedEvent e = k.pending();
            if (e != null && (since == null || !e.effectiveAt().isBefore(since))) out.add(e);
        }
        return out;
    }

    @Override
    public boolean removeSubscription(EventSubscription subscription) {
        boolean[] removed = {false};
        waitsByInstance.compute(subscription.instanceId(), v -> {
            EventSubscription registered = waitOf(v, subscription);
            // A wait replaced by one on another name or key is not the one the caller meant.
            if (registered == null || !registered.name().equals(subscription.name()) || !registered.key().equals(subscription.key())) {
                return v;
            }
            unindex(registered);
            removed[0] = true;
            return withoutWait(v, registered);
        });
        return removed[0];
    }

    /** Takes {@code wait} out of its name and key's entry; the caller holds its instance's entry. */
    private void unindex(EventSubscription wait) {
        Map<String, Object> keys = byName.get(wait.name());
        if (keys == null) return;
        keys.computeIfPresent(wait.key(), (k, v) -> {
            EventSubscription[] waits = waitsOf(v);
            for (int i = 0; i < waits.length; i++) {
                if (waits[i].sameWait(wait)) return slot(without(waits, i), pendingOf(v));
            }
            return v;
        });
    }

    /** The registration of {@code wait}'s pointer among an instance's waits (a lone wait or an array), or null. */
    private static EventSubscription waitOf(Object instanceWaits, EventSubscription wait) {
        if (instanceWaits instanceof EventSubscription one) return one.sameWait(wait) ? one : null;
        if (instanceWaits instanceof EventSubscription[] many) {
            for (EventSubscription w : many) if (w.sameWait(wait)) return w;
        }
        return null;
    }

    private static Object instanceWaits(Object instanceWaits, EventSubscription added) {
        if (instanceWaits == null) return added;
        EventSubscription[] waits = instanceWaits instanceof EventSubscription one ? new EventSubscription[]{one} : (EventSubscription[]) instanceWaits;
        EventSubscription[] more = Arrays.copyOf(waits, waits.length + 1);
        more[waits.length] = added;
        return more;
    }

    /** An instance's waits without {@code removed}: null when none is left (compute then drops the entry). */
    private static Object withoutWait(Object instanceWaits, EventSubscription removed) {
        if (removed == null || instanceWaits == null) return instanceWaits;
        if (instanceWaits instanceof EventSubscription) return null;
        EventSubscription[] waits = (EventSubscription[]) instanceWaits;
        for (int i = 0; i < waits.length; i++) {
            if (waits[i] == removed) {
                EventSubscription[] fewer = without(waits, i);
                return fewer.length == 1 ? fewer[0] : fewer;
            }
        }
        return instanceWaits;
    }

    @Override
    public boolean markDelivered(String eventId) {
        EventIdKey stored = events.get(EventIdKey.of(eventId));
        PublishedEvent e = stored == null ? null : stored.pending();
        return e != null && deliverPending(e);
    }

    /**
     * Finds the event among its name and key's pending events, where the stored key is at hand, rather than by its id:
     * the id is not parsed again (its parse was half of a delivery's samples). An event with this id pending under another
     * name or key, or delivered already, is looked up by its id.
     */
    @Override
    public boolean markDelivered(PublishedEvent event) {
        return deliverPending(event) || markDelivered(event.id());
    }

    /**
     * Delivers the event with {@code event}'s id if it is pending under {@code event}'s name and key: inside that key's
     * compute, which decides the single winner and changes the pending index with it.
     */
    private boolean deliverPending(PublishedEvent event) {
        String eventId = event.id();
        PublishedEvent[] taken = {null};
        keysOf(event.name()).compute(event.key(), (k, v) -> {
            EventIdKey[] pending = pendingOf(v);
            for (int i = 0; i < pending.length; i++) {
                PublishedEvent e = pending[i].pending();
                if (e == event || e.id().equals(eventId)) {
                    pending[i].delivered();
                    taken[0] = e;
                    return slot(waitsOf(v), without(pending, i));
                }
            }
            return v;
        });
        if (taken[0] == null) return false;
        if (deliveredRetention != null) purgeNowAndThen(taken[0].publishedAt());
        return true;
    }

    private void purgeNowAndThen(Instant now) {
        if (now.isBefore(nextPurge) || !purging.compareAndSet(false, true)) return;
        try {
            nextPurge = now.plus(deliveredRetention.dividedBy(4));
            purgeDeliveredBefore(now.minus(deliveredRetention));
        } finally {
            purging.set(false);
        }
    }

    @Override
    public long purgeDeliveredBefore(Instant cutoff) {
        long removed = 0;
        boolean[] gone = {false};
        for (EventIdKey key : events.keySet()) {
            if (key.pending() != null || !key.publishedBefore(cutoff)) continue;
            gone[0] = false;
            // This very key: one purged meanwhile and published again would be equal, and pending.
            events.computeIfPresent(key, (k, held) -> {
                gone[0] = held == key;
                return gone[0] ? null : held;
            });
            if (gone[0]) removed++;
        }
        return removed;
    }

    /**
     * Everything the store holds, for a move to another store.
     *
     * @param pending   events not delivered yet
     * @param delivered ids of delivered events still remembered, with when each was published (the rest was dropped)
     * @param waits     the registered waits
     */
    public record Contents(List<PublishedEvent> pending, Map<String, Instant> delivered, List<EventSubscription> waits) {
    }

    /** A copy of what the store holds; consistent only while no one writes to the store. */
    public Contents contents() {
        List<PublishedEvent> pending = new ArrayList<>();
        Map<String, Instant> delivered = new java.util.HashMap<>();
        for (EventIdKey key : events.keySet()) {
            PublishedEvent p = key.pending();
            if (p != null) pending.add(p);
            else delivered.put(key.id(), key.publishedAt());
        }
        List<EventSubscription> waits = new ArrayList<>();
        for (Map<String, Object> keys : byName.values()) {
            for (Object v : keys.values()) waits.addAll(Arrays.asList(waitsOf(v)));
        }
        return new Contents(List.copyOf(pending), Map.copyOf(delivered), List.copyOf(waits));
    }

    private Map<String, Object> keysOf(String name) {
        Map<String, Object> keys = byName.get(name);
        return keys != null ? keys : byName.computeIfAbsent(name, n -> new ConcurrentHashMap<>());
    }

    private Object valueOf(String name, String key) {
        Map<String, Object> keys = byName.get(name);
        return keys == null ? null : keys.get(key);
    }

    private static EventSubscription[] waitsOf(Object v) {
        if (v instanceof EventSubscription one) return new EventSubscription[]{one};
        return v instanceof Slot slot ? slot.waits() : NO_WAITS;
    }

    private static EventIdKey[] pendingOf(Object v) {
        return v instanceof Slot slot ? slot.pending() : NOTHING_PENDING;
    }

    /** The compact form of a key's entry: null when empty (compute then removes it), the wait itself when alone. */
    private static Object slot(EventSubscription[] waits, EventIdKey[] pending) {
        if (pending.length == 0) {
            if (waits.length == 0) return null;
            if (waits.length == 1) return waits[0];
        }
        return new Slot(waits, pending);
    }

    /** Keys in a pending array are pending: each leaves it in the compute that delivers it. */
    private static EventIdKey[] inserted(EventIdKey[] pending, EventIdKey event) {
        int at = pending.length;
        while (at > 0 && EFFECTIVE_ORDER.compare(pending[at - 1].pending(), event.pending()) > 0) at--;
        EventIdKey[] out = new EventIdKey[pending.length + 1];
        System.arraycopy(pending, 0, out, 0, at);
        out[at] = event;
        System.arraycopy(pending, at, out, at + 1, pending.length - at);
        return out;
    }

    private static <T> T[] without(T[] array, int index) {
        T[] out = Arrays.copyOf(array, array.length - 1);
        System.arraycopy(array, index + 1, out, index, array.length - index - 1);
        return out;
    }
}
