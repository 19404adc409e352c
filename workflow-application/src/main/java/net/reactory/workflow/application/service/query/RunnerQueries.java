package net.reactory.workflow.application.service.query;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import net.reactory.workflow.application.port.in.InstanceFilter;
import net.reactory.workflow.application.port.in.InstanceHistory;
import net.reactory.workflow.application.port.out.HistoryEntry;
import net.reactory.workflow.application.port.out.HistoryPage;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/** The edges' read-only questions about instances (lists, counts, history), answered from the store. */
public final class RunnerQueries {

    /** The most history entries one call returns. */
    static final int MAX_HISTORY_PAGE = 1_000;

    private final InstanceStore store;

    public RunnerQueries(InstanceStore store) {
        this.store = store;
    }

    public Map<WorkflowStatus, Long> count(InstanceFilter filter) {
        Map<WorkflowStatus, Long> counts = new EnumMap<>(WorkflowStatus.class);
        for (WorkflowStatus s : WorkflowStatus.values()) counts.put(s, 0L);
        counts.putAll(store.countByStatus(filter.withStatus(null)));
        return counts;
    }

    public Optional<InstanceHistory> history(String instanceId, long afterRevision, int limit) {
        if (afterRevision < 0) throw new IllegalArgumentException("afterRevision must not be negative: " + afterRevision);
        if (limit < 1) throw new IllegalArgumentException("limit must be at least 1: " + limit);
        return store.history(instanceId, afterRevision, Math.min(limit, MAX_HISTORY_PAGE)).map(RunnerQueries::history);
    }

    private static InstanceHistory history(HistoryPage page) {
        List<InstanceHistory.Event> events = new ArrayList<>(page.entries().size());
        for (HistoryEntry e : page.entries()) {
            events.add(new InstanceHistory.Event(e.revision(), e.at(), e.type(), e.kind(), e.step(), e.pointer(), e.error(),
                    e.actor(), e.entryPoint(), e.detail()));
        }
        HistoryPage.Dropped d = page.dropped();
        return new InstanceHistory(events, page.next(), d.count(), d.firstRevision(), d.lastRevision());
    }
}
