package net.reactory.workflow.adapter.memory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import net.reactory.workflow.application.port.out.HistoryEntry;
import net.reactory.workflow.application.port.out.HistoryPage;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/**
 * One instance's history in memory, up to a cap, the oldest beyond it dropped and counted. The store holds one per
 * instance, a million of them for a million waiting instances, and keeps each for the retention after its instance
 * finished, so it is kept small and made of few objects (what the collector copies is what the store costs): no event
 * object is kept, only what {@link HistoryEntry#of} reads of it, in two arrays, built into entries when read.
 *
 * <p>{@code cells} holds two longs per event: its time in nanoseconds since the epoch, then its revision, kind and
 * pointer packed into one ({@link HistoryCodec}). {@code refs} holds the strings each kind carries (a step completed:
 * its step; an event awaited: the step, name and key), one after the other. An event that does not fit (a rare kind, an
 * origin, a revision or pointer out of range) is kept whole in {@code refs}, its revision in place of the time.
 *
 * <p>Events {@code [first, end)} of the arrays are kept; reaching the cap moves {@code first} on, and the arrays grow up to
 * twice the cap, so that moving the kept events back to the front costs a copy per cap appends, not per append.
 * Appends come from the store's write of the instance and reads from anywhere; both hold this object's monitor (this is
 * the store's slot, written under its own monitor), uncontended but for a reader.
 */
class BoundedHistory extends InstanceSlot {

    /** What the cap dropped: made at the first drop. */
    private static final class Dropped {
        long count;
        long first;
        long last;
    }

    private static final long[] NO_CELLS = {};
    private static final Object[] NO_REFS = {};
    /**
     * Room for three events at first: a start's one and the two of a first step that waits or goes on (step completed
     * and event awaited); a run of steps then grows it to five, then eight.
     */
    private static final int FIRST_EVENTS = 3;

    private long[] cells = NO_CELLS;
    private Object[] refs = NO_REFS;
    private int first;
    private int end;
    /** The refs used by events {@code [0, end)}. */
    private int refEnd;
    private Dropped dropped;

    BoundedHistory(WorkflowInstance instance) {
        super(instance);
    }

    /** A history of no instance yet, for tests. */
    BoundedHistory() {
        this(null);
    }

    /** Appends {@code events}, keeping at most {@code cap} of the newest (none for 0). The caller holds this object's monitor. */
    @Override
    final void append(List<WorkflowEvent> events, int cap) {
        int n = events.size();
        if (n == 0 || cap == 0) return;
        int refsNeeded = 0;
        // Sized first, so that a batch costs one copy at most and an event that cannot be read fails before any is kept.
        for (int i = 0; i < n; i++) refsNeeded += HistoryCodec.refCount(HistoryCodec.kindOf(events.get(i)));
        reserve(n, refsNeeded, cap);
        for (int i = 0; i < n; i++) {
            WorkflowEvent e = events.get(i);
            refEnd = HistoryCodec.pack(e, HistoryCodec.kindOf(e), cells, end, refs, refEnd);
            end++;
        }
        while (end - first > cap) drop();
    }

    private void drop() {
        long revision = revisionAt(first);
        if (dropped == null) {
            dropped = new Dropped();
            dropped.first = revision;
        }
        dropped.last = revision;
        dropped.count++;
        first++;
    }

    /** Room for {@code n} more events and {@code r} more refs: the kept ones moved to the front, the arrays grown if need be. */
    private void reserve(int n, int r, int cap) {
        int length = cells.length / 2;
        if (end + n <= length && refEnd + r <= refs.length) return;
        int refFirst = refIndexOf(first);
        int kept = end - first;
        int keptRefs = refEnd - refFirst;
        int newLength = kept + n <= length ? length : Math.max(kept + n, Math.min(grown(length, FIRST_EVENTS), 2 * cap));
        int newRefs = keptRefs + r <= refs.length ? refs.length : Math.max(keptRefs + r, grown(refs.length, 2));
        long[] newCells = newLength == length ? cells : new long[2 * newLength];
        Object[] movedRefs = newRefs == refs.length ? refs : new Object[newRefs];
        System.arraycopy(cells, 2 * first, newCells, 0, 2 * kept);
        System.arraycopy(refs, refFirst, movedRefs, 0, keptRefs);
        // What stays behind in an array kept in place must not hold dropped strings or events alive.
        if (movedRefs == refs && refFirst > 0) Arrays.fill(refs, keptRefs, refEnd, null);
        cells = newCells;
        refs = movedRefs;
        first = 0;
        end = kept;
        refEnd = keptRefs;
    }

    /**
     * The next length of an array of {@code length}: half as long again, so that a long history copies each event a
     * bounded number of times, and by two at least, so that a short one grows in few steps and ends with little spare room
     * (a waiting or finished instance keeps its history arrays as they are, a million of them).
     */
    private static int grown(int length, int first) {
        return length == 0 ? first : length + Math.max(2, length / 2);
    }

    /** Where the refs of event {@code index} start: after those of the events before it, still in the arrays. */
    private int refIndexOf(int index) {
        int r = 0;
        for (int i = 0; i < index; i++) r += HistoryCodec.refCount(HistoryCodec.kindIn(cells[2 * i + 1]));
        return r;
    }

    private long revisionAt(int index) {
        return HistoryCodec.revision(cells[2 * index], cells[2 * index + 1]);
    }

    /** Forgets every event, dropped ones included. The caller holds this object's monitor. */
    @Override
    final void clear() {
        cells = NO_CELLS;
        refs = NO_REFS;
        first = 0;
        end = 0;
        refEnd = 0;
        dropped = null;
    }

    /** A page of the kept events after {@code afterRevision}, as entries; {@code owner} is the instance they are of. */
    @Override
    final synchronized HistoryPage page(WorkflowInstance owner, long afterRevision, int limit) {
        List<HistoryEntry> out = new ArrayList<>(Math.min(limit, end - first));
        int i = first;
        int r = refIndexOf(first);
        for (; i < end && revisionAt(i) <= afterRevision; i++) r += HistoryCodec.refCount(HistoryCodec.kindIn(cells[2 * i + 1]));
        long lastRevision = -1;
        for (; i < end; i++) {
            long revision = revisionAt(i);
            if (out.size() >= limit && revision != lastRevision) break;
            long meta = cells[2 * i + 1];
            out.add(HistoryEntry.of(HistoryCodec.event(owner, cells[2 * i], meta, refs, r)));
            r += HistoryCodec.refCount(HistoryCodec.kindIn(meta));
            lastRevision = revision;
        }
        Long next = i < end ? lastRevision : null;
        HistoryPage.Dropped gone = dropped == null ? HistoryPage.Dropped.NONE
                : new HistoryPage.Dropped(dropped.count, dropped.first, dropped.last);
        return new HistoryPage(out, next, gone);
    }
}
