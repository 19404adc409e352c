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
 */
final class BoundedHistory {

    private static final int INITIAL = 8;

    private final int cap;
    private WorkflowEvent[] ring;
    private int head;
    private int size;
    private long droppedCount;
    private long droppedFirst;
    private long droppedLast;

    BoundedHistory(int cap) {
        if (cap < 1) throw new IllegalArgumentException("the history cap must be at least 1: " + cap);
        this.cap = cap;
        this.ring = new WorkflowEvent[Math.min(INITIAL, cap)];
    }

    synchronized void append(List<WorkflowEvent> events) {
        for (int i = 0, n = events.size(); i < n; i++) add(events.get(i));
    }

    private void add(WorkflowEvent event) {
        if (size == ring.length && size < cap) grow();
        if (size == cap) {
            WorkflowEvent oldest = ring[head];
            if (droppedCount == 0) droppedFirst = oldest.revision();
            droppedLast = oldest.revision();
            droppedCount++;
            ring[head] = event;
            head = (head + 1) % ring.length;
            return;
        }
        ring[(head + size) % ring.length] = event;
        size++;
    }

    private void grow() {
        WorkflowEvent[] bigger = new WorkflowEvent[Math.min(cap, ring.length * 2)];
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
        HistoryPage.Dropped dropped = droppedCount == 0 ? HistoryPage.Dropped.NONE
                : new HistoryPage.Dropped(droppedCount, droppedFirst, droppedLast);
        return new HistoryPage(out, next, dropped);
    }

    private WorkflowEvent at(int i) {
        return ring[(head + i) % ring.length];
    }
}
