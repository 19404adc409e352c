package net.reactory.workflow.adapter.memory;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The names a store's histories keep by number rather than by reference: a step's name (a step completed), or a step's and
 * the event's it waits for (an event awaited or received). They are a definition's, so there are few of them, and a
 * history event that names one costs bits of its packed form, not a reference in an array of its history. The table is
 * bounded ({@link #LIMIT} names); once full, {@link #id} answers 0 and the names are kept as references.
 *
 * <p>A number is handed out under this table's monitor and written into a history under that history's monitor, after its
 * name is in {@code names}; a reader of the history holds that monitor too, so it sees the name of every number it reads.
 */
final class HistoryNames {

    /** What an event awaited or received is named by. */
    record Wait(String step, String eventName) {
    }

    /** The most names kept: every number fits the 11 bits the packed form has for it. */
    static final int LIMIT = (1 << 11) - 1;

    private final int limit;
    private final ConcurrentHashMap<Object, Integer> ids = new ConcurrentHashMap<>();
    private final Object[] names;
    private int count;

    HistoryNames() {
        this(LIMIT);
    }

    /** A table of at most {@code limit} names (up to {@link #LIMIT}), for tests of a full one. */
    HistoryNames(int limit) {
        if (limit < 0 || limit > LIMIT) throw new IllegalArgumentException("limit must be 0 to " + LIMIT + ": " + limit);
        this.limit = limit;
        this.names = new Object[limit + 1];
    }

    /** The number of {@code step}, made if need be; 0 when it has none (null, or the table full). */
    int id(String step) {
        return step == null ? 0 : idOf(step);
    }

    /** The number of a wait for {@code eventName} in {@code step}; 0 when it has none. */
    int id(String step, String eventName) {
        return idOf(new Wait(step, eventName));
    }

    private int idOf(Object name) {
        Integer id = ids.get(name);
        return id != null ? id : add(name);
    }

    private synchronized int add(Object name) {
        Integer id = ids.get(name);
        if (id != null) return id;
        if (count == limit) return 0;
        names[++count] = name;
        ids.put(name, count);
        return count;
    }

    /** The name numbered {@code id} (not 0): a step's name, or a {@link Wait}. */
    Object name(int id) {
        return names[id];
    }
}
