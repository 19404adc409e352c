package net.reactory.workflow.adapter.memory;

/**
 * An instance or event id as a key of the memory store's maps, hashed by the time it was made rather than by its text.
 *
 * <p>The runner's ids are UUIDv7: a millisecond, then random bits, so that a neighbour's id gives nothing away. Their
 * {@link String#hashCode} is as random as those bits, so ids made one after the other land all over a map's table, and
 * the collector, which copies a map's entries in table order, scatters what they point at too. A store touches instances
 * in about the order they were made (they start, step, wait, resume, finish and are purged in that order), so each
 * look-up then missed the caches: the memory store's create and purge cost three times what they did with the counting
 * ids of before, and a million waiting instances took twice the CPU to resume.
 *
 * <p>This key hashes a UUIDv7 by its millisecond (the low 23 bits, which come round every 2.3 hours) and the first 8 of
 * its random bits, arranged so that
 * {@link java.util.concurrent.ConcurrentHashMap}'s table index is that millisecond and those bits (the map indexes by
 * {@code h ^ h >>> 16}, which undoes itself): the ids of one millisecond share a stretch of 256 bins, those of the next
 * the stretch beside it. Any other text, a UUIDv7 in capitals included, is hashed as the string is; a key is equal to
 * another of the same text, so the map's answers do not depend on the hash.
 *
 * <p>Ids may come from outside (an event's id is its publisher's idempotency key), and ids made to share a millisecond
 * and those 8 bits share a bin: keys compare by their text, so such a bin becomes a tree, searched in logarithmic time.
 * The key holds its id and its hash (24 bytes; a look-up key lives only for its look-up), and so does the slot that is
 * its own key, for no more bytes (see {@link #hash}).
 */
class IdKey implements Comparable<IdKey> {

    private final String id;
    /**
     * Worked out once: a purge reaches a slot finished seconds ago, whose id's characters have left the caches. The field
     * costs a key of its own nothing it does not cost already, and a slot nothing (it fills the slot's padding).
     */
    private final int hash;

    /** For a key of its own, and for {@link InstanceSlot}, which is its own key in the store's map (no key object per instance). */
    IdKey(String id) {
        this.id = id;
        this.hash = hashOf(id);
    }

    static IdKey of(String id) {
        return new IdKey(id);
    }

    String id() {
        return id;
    }

    /**
     * For {@code tttttttt-tttt-7rr…} (lower-case hex, as the runner writes it), the millisecond's low 23 bits (from digits
     * 6–7 and 9–12), then 8 random bits (digits 15 and 16), spread as the map will unspread them; else the string's hash.
     */
    private static int hashOf(String id) {
        if (id.length() != 36 || id.charAt(8) != '-' || id.charAt(13) != '-' || id.charAt(14) != '7') return id.hashCode();
        int high = hex(id, 6, 8);
        int low = hex(id, 9, 13);
        int random = hex(id, 15, 17);
        if ((high | low | random) < 0) return id.hashCode();
        return timeHash(high, low, random);
    }

    /**
     * The hash of a UUIDv7 made in a millisecond whose bits 16–23 are {@code high} and 0–15 {@code low}, with
     * {@code random} its first 8 random bits: {@link java.util.concurrent.ConcurrentHashMap}'s table index is that
     * millisecond and those bits. Shared with {@link EventIdKey}, which keeps an id as its bits.
     */
    static int timeHash(int high, int low, int random) {
        int index = (high << 24 | low << 8 | random) & 0x7FFF_FFFF;
        return index ^ index >>> 16;
    }

    /**
     * The lower-case hex digits {@code [from, to)} of {@code s} (at most 7) as a number; -1 when one is not such a digit.
     * Shared with {@link WaitsByInstance}, which hashes by more of an id's random bits.
     */
    static int hex(String s, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            int digit = hexDigit(s.charAt(i));
            if (digit < 0) return -1;
            value = value << 4 | digit;
        }
        return value;
    }

    /** The value of each lower-case hex digit, by character; -1 for any other character below 128. */
    private static final byte[] HEX = new byte[128];

    static {
        java.util.Arrays.fill(HEX, (byte) -1);
        for (int c = '0'; c <= '9'; c++) HEX[c] = (byte) (c - '0');
        for (int c = 'a'; c <= 'f'; c++) HEX[c] = (byte) (c - 'a' + 10);
    }

    /** The value of {@code c} as a lower-case hex digit, or -1. Shared with {@link EventIdKey}, which reads a whole id. */
    static int hexDigit(char c) {
        return c < 128 ? HEX[c] : -1;
    }

    @Override
    public final int hashCode() {
        return hash;
    }

    @Override
    public final boolean equals(Object o) {
        return o == this || o instanceof IdKey k && k.id.equals(id);
    }

    @Override
    public final int compareTo(IdKey other) {
        return id.compareTo(other.id);
    }

    @Override
    public final String toString() {
        return id;
    }
}
