package net.reactory.workflow.adapter.memory;

import static net.reactory.workflow.adapter.memory.HistoryCodec.UNIT;

import net.reactory.workflow.domain.instance.WorkflowEvent;

/**
 * Where a {@link BoundedHistory} is read: the next event's units and references, and the revision and time it steps from.
 * Used under the history's monitor, by reads and by the cap's drops; appends need none.
 */
final class HistoryCursor {

    private final BoundedHistory history;
    int at;
    int ref;
    long revision;
    long time;
    /** The header, pointer and first reference of the event {@link #next} read. */
    int header;
    int pointer;
    int refAt;

    HistoryCursor(BoundedHistory history) {
        this.history = history;
    }

    /** Reads the event at {@code at} and moves past it. */
    void next() {
        int h = history.unit(at);
        header = h;
        refAt = ref;
        int form = HistoryCodec.form(h);
        if (form == HistoryCodec.WIDE) {
            pointer = history.unit(at + 1);
            revision = pair(at + 2);
            time = pair(at + 4);
        } else if (HistoryCodec.kind(h) != HistoryCodec.WHOLE) {
            revision += HistoryCodec.revisionStep(h);
            time += HistoryCodec.timeStep(h, form == HistoryCodec.LONG ? history.unit(at + 1) : 0);
            pointer = HistoryCodec.pointer(h);
        }
        at += HistoryCodec.units(h);
        ref += HistoryCodec.refCount(h);
    }

    /** The revision of the event {@link #next} read. */
    long eventRevision() {
        return HistoryCodec.kind(header) == HistoryCodec.WHOLE ? ((WorkflowEvent) history.ref(refAt)).revision() : revision;
    }

    private long pair(int i) {
        return history.unit(i) & UNIT | (long) history.unit(i + 1) << 32;
    }
}
