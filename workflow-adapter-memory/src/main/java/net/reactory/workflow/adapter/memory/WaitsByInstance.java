package net.reactory.workflow.adapter.memory;

import java.util.function.UnaryOperator;

import net.reactory.workflow.application.port.out.EventSubscription;

/**
 * The memory event store's index of waits by instance: an instance id → its waits, a lone {@link EventSubscription} or an
 * array of them (one per waiting pointer). It is there so that registering a pointer again replaces its earlier wait, so
 * it holds one entry per waiting instance, a million for a million waiting instances, and costs about 16 bytes each.
 *
 * <p>A {@link java.util.concurrent.ConcurrentHashMap} took 48 bytes and two objects per entry (its node and an
 * {@link IdKey}), which the collector copied and marked for as long as the instance waited: 48 MB for a million waiting
 * instances. Here an entry is a slot of an array holding the waits themselves, and the slot's
 * hash in an {@code int} array beside it, so that a probe reads the waits only when the hash matches. A UUIDv7 id is
 * placed by its millisecond ({@link #hashOf}), so instances made together sit in the same few segments.
 *
 * <p>The table is cut into segments, each an open-addressing table with linear probing under its own monitor; every
 * operation is one {@link #compute} under one segment's monitor, which the store holds while it changes the index by name
 * and key (so both change together; nothing locks a segment while holding a key's entry, so the two never deadlock).
 * A segment grows when half full and shrinks when an eighth full.
 */
final class WaitsByInstance {

    private static final int SEGMENT_BITS = 10;
    private static final int SEGMENTS = 1 << SEGMENT_BITS;
    private static final int MIN_CAPACITY = 8;

    private final Segment[] segments = new Segment[SEGMENTS];

    WaitsByInstance() {
        for (int i = 0; i < SEGMENTS; i++) segments[i] = new Segment();
    }

    /**
     * Replaces the waits of {@code instanceId} by what {@code remap} makes of them (null when it has none), under its
     * segment's monitor; null from {@code remap} takes the entry out. {@code remap} must not use this index.
     *
     * @return the instance's waits now
     */
    Object compute(String instanceId, UnaryOperator<Object> remap) {
        int hash = hashOf(instanceId);
        Segment segment = segments[hash & (SEGMENTS - 1)];
        synchronized (segment) {
            return segment.compute(instanceId, hash >>> SEGMENT_BITS, remap);
        }
    }

    /**
     * For a UUIDv7 in lower case: the segment from its millisecond (its low 7 bits) and 3 random bits, the slot's hash
     * above it from 21 more random bits. The ids of one millisecond share 8 segments, so the waits registered and
     * resumed together, mostly in the order their instances were made, find the same few segments' tables in the cache:
     * spread over all the segments, each resumption missed it for the segment, its arrays and the wait (0.001 ms of CPU
     * per resumption, a tenth of it, in the events benchmark). Eight, not one: that many cores can change waits of one
     * millisecond without meeting on a monitor. The slot's hash is random bits only, so however many instances a
     * millisecond makes, their home slots spread over the table and linear probing builds no long run.
     * Any other id is its string's hash, mixed.
     */
    static int hashOf(String id) {
        if (id.length() == 36 && id.charAt(8) == '-' && id.charAt(13) == '-' && id.charAt(14) == '7') {
            int millis = IdKey.hex(id, 9, 13);
            int randomA = IdKey.hex(id, 15, 18);
            int randomB = IdKey.hex(id, 20, 23);
            if ((millis | randomA | randomB) >= 0) {
                int segment = (millis & 127) << 3 | randomA & 7;
                return ((randomA >>> 3) << 12 | randomB) << SEGMENT_BITS | segment;
            }
        }
        int h = id.hashCode() * 0x9E3779B9;
        return h ^ h >>> 15;
    }

    /** How many instances have waits. */
    int size() {
        int size = 0;
        for (Segment s : segments) {
            synchronized (s) {
                size += s.size;
            }
        }
        return size;
    }

    /** The instance an entry's waits belong to. */
    private static String instanceOf(Object waits) {
        return waits instanceof EventSubscription one ? one.instanceId() : ((EventSubscription[]) waits)[0].instanceId();
    }

    /** One open-addressing table; every field is read and written under this object's monitor. */
    private static final class Segment {
        private Object[] waits = new Object[MIN_CAPACITY];
        private int[] hashes = new int[MIN_CAPACITY];
        private int size;

        Object compute(String instanceId, int hash, UnaryOperator<Object> remap) {
            int mask = waits.length - 1;
            int i = hash & mask;
            for (Object held; (held = waits[i]) != null; i = (i + 1) & mask) {
                if (hashes[i] == hash && instanceOf(held).equals(instanceId)) {
                    Object next = remap.apply(held);
                    if (next == null) delete(i);
                    else waits[i] = next;
                    return next;
                }
            }
            Object next = remap.apply(null);
            if (next == null) return null;
            waits[i] = next;
            hashes[i] = hash;
            // At most half full: a miss then probes about two and a half slots, all in the hash array.
            if (++size > waits.length / 2) resize(waits.length * 2);
            return next;
        }

        /** Empties slot {@code hole}, moving back each entry after it that could no longer be found past the hole. */
        private void delete(int hole) {
            int mask = waits.length - 1;
            for (int j = (hole + 1) & mask; waits[j] != null; j = (j + 1) & mask) {
                int home = hashes[j] & mask;
                // The entry at j may fill the hole when its home is not cyclically within (hole, j].
                boolean reachable = hole <= j ? hole < home && home <= j : hole < home || home <= j;
                if (reachable) continue;
                waits[hole] = waits[j];
                hashes[hole] = hashes[j];
                hole = j;
            }
            waits[hole] = null;
            hashes[hole] = 0;
            // An eighth full gives back half: a million waits resumed leave small tables behind.
            if (--size < waits.length / 8 && waits.length > MIN_CAPACITY) resize(waits.length / 2);
        }

        private void resize(int capacity) {
            Object[] oldWaits = waits;
            int[] oldHashes = hashes;
            waits = new Object[capacity];
            hashes = new int[capacity];
            int mask = waits.length - 1;
            for (int j = 0; j < oldWaits.length; j++) {
                if (oldWaits[j] == null) continue;
                int i = oldHashes[j] & mask;
                while (waits[i] != null) i = (i + 1) & mask;
                waits[i] = oldWaits[j];
                hashes[i] = oldHashes[j];
            }
        }
    }
}
