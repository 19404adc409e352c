package net.reactory.workflow.adapter.memory;

import java.time.Instant;
import java.util.UUID;

import net.reactory.workflow.application.port.out.PublishedEvent;

/**
 * An event's id as a key of the memory event store's map, and, for the key the store keeps, when the event was published
 * and the event itself while it is pending: once delivered, the key is all that is left of it. A store remembers delivered
 * ids for its retention (a day, by default), so this key is made to be small: an id in the runner's form (a UUID in
 * lower-case hex) is kept as its 128 bits rather than as its text, 48 bytes in all where the id's string, the key wrapping
 * it and the {@link Instant} took 120. The store's map holds the key as its own value, so that a delivery is a write to
 * this key's {@code pending} field rather than to the map (a replace took 8 % of a resumption's CPU).
 *
 * <p>It hashes as {@link IdKey} does (by the millisecond of a UUIDv7 and 8 of its random bits, so that events published
 * together are stored together); any other text is kept and hashed as it is. Two keys are equal when their ids are the
 * same text: an id is kept as bits exactly when it is a lower-case UUID, which the bits give back unchanged. Keys are
 * comparable, so that ids made to share a hash (an event's id is its publisher's idempotency key) still cost a map a
 * logarithmic search.
 */
final class EventIdKey implements Comparable<EventIdKey> {

    private final long high;
    private final long low;
    /** The id as given when it is not a lower-case UUID; else null, and the id is {@code high} and {@code low}. */
    private final String text;
    private final long publishedSecond;
    private final int publishedNano;
    /**
     * The event while it is pending, null once delivered (and in a key to look an id up by). Set to null only inside
     * the compute of the event's name and key in the store, which decides the one delivery; read anywhere.
     */
    private volatile PublishedEvent pending;

    private EventIdKey(long high, long low, String text, Instant publishedAt) {
        this.high = high;
        this.low = low;
        this.text = text;
        this.publishedSecond = publishedAt == null ? 0 : publishedAt.getEpochSecond();
        this.publishedNano = publishedAt == null ? 0 : publishedAt.getNano();
    }

    /** The key the store keeps for an event published at {@code publishedAt}, already delivered. */
    static EventIdKey of(String id, Instant publishedAt) {
        EventIdKey bits = uuid(id, publishedAt);
        return bits != null ? bits : new EventIdKey(0, 0, id, publishedAt);
    }

    /** The key the store keeps for {@code event}, pending. */
    static EventIdKey pending(PublishedEvent event) {
        EventIdKey key = of(event.id(), event.publishedAt());
        key.pending = event;
        return key;
    }

    /** The event while pending; null once delivered. */
    PublishedEvent pending() {
        return pending;
    }

    /** The event is delivered: only its id and publication time are kept. */
    void delivered() {
        pending = null;
    }

    /** A key to look an id up by. */
    static EventIdKey of(String id) {
        return of(id, null);
    }

    String id() {
        return text != null ? text : new UUID(high, low).toString();
    }

    /** When the event of the key the store keeps was published. */
    Instant publishedAt() {
        return Instant.ofEpochSecond(publishedSecond, publishedNano);
    }

    boolean publishedBefore(Instant cutoff) {
        long second = cutoff.getEpochSecond();
        return publishedSecond < second || publishedSecond == second && publishedNano < cutoff.getNano();
    }

    @Override
    public int hashCode() {
        if (text != null) return text.hashCode();
        if ((high & 0xF000L) != 0x7000L) return Long.hashCode(high ^ low);
        long millis = high >>> 16;
        int random = (int) (high >>> 4) & 0xFF;
        return IdKey.timeHash((int) (millis >>> 16) & 0xFF, (int) millis & 0xFFFF, random);
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof EventIdKey k && k.high == high && k.low == low
                && (text == null ? k.text == null : text.equals(k.text));
    }

    @Override
    public int compareTo(EventIdKey other) {
        int byBits = high != other.high ? Long.compareUnsigned(high, other.high) : Long.compareUnsigned(low, other.low);
        if (byBits != 0 || text == other.text) return byBits;
        if (text == null) return -1;
        return other.text == null ? 1 : text.compareTo(other.text);
    }

    @Override
    public String toString() {
        return id();
    }

    /**
     * The key for a UUID as {@link UUID#toString} writes it (8-4-4-4-12 lower-case hex digits), or null for any other
     * text. One pass, no branch per digit: a look-up is hundreds of thousands a second on the event path.
     */
    private static EventIdKey uuid(String s, Instant publishedAt) {
        if (s.length() != 36 || s.charAt(8) != '-' || s.charAt(13) != '-' || s.charAt(18) != '-' || s.charAt(23) != '-') return null;
        long high = 0;
        long low = 0;
        int bad = 0;
        for (int i = 0; i < 18; i++) {
            if (i == 8 || i == 13) continue;
            int v = IdKey.hexDigit(s.charAt(i));
            bad |= v;
            high = high << 4 | (v & 0xF);
        }
        for (int i = 19; i < 36; i++) {
            if (i == 23) continue;
            int v = IdKey.hexDigit(s.charAt(i));
            bad |= v;
            low = low << 4 | (v & 0xF);
        }
        return bad < 0 ? null : new EventIdKey(high, low, null, publishedAt);
    }
}
