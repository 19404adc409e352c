package net.reactory.workflow.adapter.memory;

import java.util.ArrayList;
import java.util.List;

import net.reactory.workflow.application.port.out.HistoryEntry;
import net.reactory.workflow.application.port.out.HistoryPage;
import net.reactory.workflow.domain.instance.WorkflowEvent;

/**
 * One instance's history in memory: its change events in a ring that grows up to the cap, then drops the oldest,
 * counting what it dropped. Appending copies nothing already kept, so a step costs the same on the thousandth event as
 * on the first. The events are kept as they are and made into {@link HistoryEntry}s only when read.
 * Appends come from the store's write of the instance, reads from anywhere: both take this object's lock, uncontended
 * but for a reader.
 *
 * <p>The store holds one of these per instance, a million of them for a million waiting instances, so it is kept
 * small: the cap is the store's and comes with each append, the ring starts at the size of the first append (four at
 * least) and grows to what the next one needs (doubling at least, so a long history still copies each event a bounded number of
 * times), and what was dropped is counted in an object made only once something is dropped. The store's slot extends
 * it, so the history costs no object of its own beyond the ring.
 */
class BoundedHistory {

    /** What the ring no longer holds: made at the first drop. */
    private static final class Dropped {
        long count;
        long first;
        long last;
    }

    private static final WorkflowEvent[] EMPTY = new WorkflowEvent[0];
    /** The smallest ring: four references take the same 32 bytes as three, and spare a run of steps a copy per step. */
    private static final int MINIMUM = 4;

    private WorkflowEvent[] ring = EMPTY;
    private int head;
    private int size;
    private Dropped dropped;

    /** Appends {@code events}, keeping at most {@code cap} (at least 1) of the newest. */
    synchronized void append(List<WorkflowEvent> events, int cap) {
        int n = events.size();
        if (n == 0) return;
        if (size + n > ring.length && ring.length < cap) grow(Math.min(cap, Math.max(Math.max(size + n, MINIMUM), ring.length * 2)));
        for (int i = 0; i < n; i++) add(events.get(i), cap);
    }

    private void add(WorkflowEvent event, int cap) {
        if (size == ring.length) {
            // Full at the cap (a ring is only full below the cap if it was made with a smaller one: grow then).
            if (size < cap) {
                grow(Math.min(cap, Math.max(size + 1, ring.length * 2)));
            } else {
                WorkflowEvent oldest = ring[head];
                if (dropped == null) {
                    dropped = new Dropped();
                    dropped.first = oldest.revision();
                }
                dropped.last = oldest.revision();
                dropped.count++;
                ring[head] = event;
                head = (head + 1) % ring.length;
                return;
            }
        }
        ring[(head + size) % ring.length] = event;
        size++;
    }

    private void grow(int length) {
        WorkflowEvent[] bigger = new WorkflowEvent[length];
        for (int i = 0; i < size; i++) bigger[i] = ring[(head + i) % ring.length];
        ring = bigger;
        head = 0;
    }

    synchronized HistoryPage page(long afterRevision, int limit) {
        List<HistoryEntry> out = new ArrayList<>(Math.min(limit, size));
        int i = 0;
        while (i < size && at(i).revision() <= afterRevision) i++;
        long lastRevision = -1;
        for (; i < size; i++) {
            WorkflowEvent e = at(i);
            if (out.size() >= limit && e.revision() != lastRevision) break;
            out.add(HistoryEntry.of(e));
            lastRevision = e.revision();
        }
        Long next = i < size ? lastRevision : null;
        HistoryPage.Dropped gone = dropped == null ? HistoryPage.Dropped.NONE
                : new HistoryPage.Dropped(dropped.count, dropped.first, dropped.last);
        return new HistoryPage(out, next, gone);
    }

    private WorkflowEvent at(int i) {
        return ring[(head + i) % ring.length];
    }
}
