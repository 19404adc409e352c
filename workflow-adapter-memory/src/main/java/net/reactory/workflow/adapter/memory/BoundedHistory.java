package net.reactory.workflow.adapter.memory;

import static net.reactory.workflow.adapter.memory.HistoryCodec.UNIT;

import java.time.Instant;
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
 * object is kept, only what {@link HistoryEntry#of} reads of it, packed into 32-bit units ({@link HistoryCodec}), built
 * into entries when read.
 *
 * <p>A short history (up to {@value #INLINE_UNITS} units: a start and three steps and the end, or a start, a step and a
 * wait, then the event it waited for, the next step and the end) is kept in this slot's own fields: {@code w0} to
 * {@code w4} hold its units, {@code extra} its references (none,
 * the one, or an array of exactly them), and no other object is made for it; its first event steps from the instance's
 * creation time, so that the slot needs no field for a base (72 bytes in all, the id it is keyed by included; with 8
 * units, 64, but an answered wait took 9 and moved to a spill, a 100-byte object and two arrays allocated per resume
 * and kept for the retention of every finished instance). A longer one, or one past its cap, moves to
 * a {@link HistorySpill}, which {@code extra} then holds.
 *
 * <p>Appends come from the store's write of the instance and reads from anywhere; both hold this object's monitor (this is
 * the store's slot, written under its own monitor), uncontended but for a reader.
 */
class BoundedHistory extends InstanceSlot {

    private static final int INLINE_UNITS = 10;
    private static final Object[] NO_REFS = {};
    /** The one reference in the fields when it is null (a null field means none). */
    private static final Object NULL_REF = new Object();

    private long w0;
    private long w1;
    private long w2;
    private long w3;
    private long w4;
    /** The units used in the fields. */
    private int end;
    /** The references of a history in the fields (none, the one, or an array of exactly them), or its {@link HistorySpill}. */
    private Object extra;

    BoundedHistory(WorkflowInstance instance) {
        super(instance);
    }

    /**
     * Appends {@code events}, keeping at most {@code cap} of the newest (at least 1: a store that keeps none has
     * {@link InstanceSlot}s), their names numbered in {@code names}.
     * The caller holds this object's monitor. No object is made for it but what the history keeps: where it is and what
     * its last event is at are read from the fields (a few units) or the spill, not kept in a cursor.
     */
    @Override
    final void append(List<WorkflowEvent> events, int cap, HistoryNames names) {
        int n = events.size();
        if (n == 0) return;
        // An event that cannot be read fails before any is kept.
        for (int i = 0; i < n; i++) if (events.get(i) == null) throw new NullPointerException("change event " + i + " is null");
        for (int i = 0; i < n; i++) pack(events.get(i), names);
        if (extra instanceof HistorySpill s ? s.events > cap : cap < INLINE_UNITS && inlineCount() > cap) {
            HistorySpill s = spill(0, 0);
            while (s.events > cap) drop(s);
        }
    }

    /** Packs {@code e} after the last event. */
    private void pack(WorkflowEvent e, HistoryNames names) {
        int kind = HistoryCodec.kindOf(e);
        long revision;
        Instant at;
        int pointer = 0;
        int name = 0;
        Object ref = null;
        boolean hasRef = false;
        switch (kind) {
            case HistoryCodec.STEP_COMPLETED -> {
                WorkflowEvent.StepCompleted s = (WorkflowEvent.StepCompleted) e;
                revision = s.revision();
                at = s.at();
                pointer = s.pointerId();
                name = names.id(s.step());
                ref = s.step();
                hasRef = name == 0;
            }
            case HistoryCodec.STARTED, HistoryCodec.STARTED_WITH_REFERENCE -> {
                WorkflowEvent.WorkflowStarted s = (WorkflowEvent.WorkflowStarted) e;
                revision = s.revision();
                at = s.at();
                ref = s.reference();
                hasRef = kind == HistoryCodec.STARTED_WITH_REFERENCE;
            }
            case HistoryCodec.COMPLETED -> {
                revision = ((WorkflowEvent.WorkflowCompleted) e).revision();
                at = ((WorkflowEvent.WorkflowCompleted) e).at();
            }
            case HistoryCodec.AWAITED, HistoryCodec.RECEIVED -> {
                packWait(e, kind, names);
                return;
            }
            case HistoryCodec.RESUMED -> {
                revision = ((WorkflowEvent.WorkflowResumed) e).revision();
                at = ((WorkflowEvent.WorkflowResumed) e).at();
            }
            default -> {
                packWhole(e);
                return;
            }
        }
        put(kind, revision, HistoryCodec.nanos(at), pointer, name);
        if (hasRef) addRef(ref);
    }

    /** Packs an event awaited or received: its step and event name by number, its key as a reference. */
    private void packWait(WorkflowEvent e, int kind, HistoryNames names) {
        boolean awaited = kind == HistoryCodec.AWAITED;
        WorkflowEvent.EventAwaited w = awaited ? (WorkflowEvent.EventAwaited) e : null;
        WorkflowEvent.EventReceived r = awaited ? null : (WorkflowEvent.EventReceived) e;
        String step = awaited ? w.step() : r.step();
        String eventName = awaited ? w.eventName() : r.eventName();
        int name = names.id(step, eventName);
        put(kind, awaited ? w.revision() : r.revision(), HistoryCodec.nanos(awaited ? w.at() : r.at()),
                awaited ? w.pointerId() : r.pointerId(), name);
        if (name == 0) {
            addRef(step);
            addRef(eventName);
        }
        addRef(awaited ? w.eventKey() : r.eventKey());
    }

    /** Keeps {@code e} whole: a short header of its own kind, and {@code e} as its reference. */
    private void packWhole(WorkflowEvent e) {
        HistorySpill s = room(extra instanceof HistorySpill x ? x : null, 1, 1);
        int i = s != null ? s.end : end;
        setUnit(i, HistoryCodec.WHOLE_HEADER);
        if (s != null) {
            s.end = i + 1;
            s.events++;
        } else {
            end = i + 1;
        }
        addRef(e);
    }

    /** Writes the units of an event after the last one, with room for its references (which the caller adds). */
    private void put(int kind, long revision, long time, int pointer, int name) {
        HistorySpill s = extra instanceof HistorySpill x ? x : null;
        HistoryCursor last = s != null ? null : inlineEnd();
        long lastRevision = s != null ? s.lastRevision : last.revision;
        long lastTime = s != null ? s.lastTime : last.time;
        long code = HistoryCodec.compact(kind, HistoryCodec.step(lastRevision, revision), pointer, name, HistoryCodec.step(lastTime, time));
        int header = code == 0 ? HistoryCodec.wideHeader(kind, name) : (int) code;
        int units = HistoryCodec.units(header);
        s = room(s, units, HistoryCodec.refCount(header));
        int i = s != null ? s.end : end;
        if (code == 0) {
            setUnit(i, header);
            setUnit(i + 1, pointer);
            setUnit(i + 2, (int) revision);
            setUnit(i + 3, (int) (revision >>> 32));
            setUnit(i + 4, (int) time);
            setUnit(i + 5, (int) (time >>> 32));
        } else {
            setUnit(i, header);
            if (units == 2) setUnit(i + 1, (int) (code >>> 32));
        }
        if (s != null) {
            s.end = i + units;
            s.events++;
            s.lastRevision = revision;
            s.lastTime = time;
        } else {
            end = i + units;
        }
    }

    /** The spill (null: the fields) with room for {@code units} more units and {@code refs} more references; moved to one if need be. */
    private HistorySpill room(HistorySpill s, int units, int refs) {
        if (s == null) return end + units <= INLINE_UNITS ? null : spill(units, refs);
        if (!s.fits(s.end, s.refEnd, units, refs)) s.makeRoom(s.end, s.refEnd, units, refs);
        return s;
    }

    /**
     * A cursor past the last event in the fields, at the revision and time it is at: one walk for both. It lives in
     * the caller's frame only, so the JIT keeps it in registers (no allocation in the append's JFR samples).
     */
    private HistoryCursor inlineEnd() {
        HistoryCursor c = new HistoryCursor(this);
        c.time = base();
        while (c.at < end) c.next();
        return c;
    }

    /** The events in the fields. */
    private int inlineCount() {
        int count = 0;
        for (int i = 0; i < end; i += HistoryCodec.units(inlineUnit(i))) count++;
        return count;
    }

    /** The references in the fields: none, the one, or an array of exactly them. */
    private int inlineRefCount() {
        Object x = extra;
        return x == null ? 0 : x instanceof Object[] a ? a.length : 1;
    }

    /**
     * This history in a {@link HistorySpill}, moved there from the fields if need be, with room for {@code units} more
     * units and {@code refs} more references and a little over.
     */
    private HistorySpill spill(int units, int refs) {
        if (extra instanceof HistorySpill s) return s;
        int refCount = inlineRefCount();
        HistorySpill s = new HistorySpill(end + units + HistorySpill.SLACK_UNITS, refCount + refs + HistorySpill.SLACK_REFS);
        for (int i = 0; i < end; i++) s.units[i] = inlineUnit(i);
        for (int i = 0; i < refCount; i++) s.refs[i] = ref(i);
        s.end = end;
        s.refEnd = refCount;
        s.events = inlineCount();
        HistoryCursor last = inlineEnd();
        s.lastRevision = last.revision;
        s.lastTime = last.time;
        s.baseTime = base();
        w0 = w1 = w2 = w3 = w4 = 0;
        end = 0;
        extra = s;
        return s;
    }

    /** Drops the oldest kept event of {@code s}, counting it; the next one steps from it now. */
    private void drop(HistorySpill s) {
        HistoryCursor c = new HistoryCursor(this);
        c.at = s.first;
        c.ref = s.refFirst;
        c.revision = s.baseRevision;
        c.time = s.baseTime;
        c.next();
        s.dropped(c.eventRevision(), c.revision, c.time, c.at, c.ref);
    }

    /**
     * The instance came to rest (it waits, or {@code finished}): a history in a {@link HistorySpill} gives up its spare
     * room. The caller holds this object's monitor.
     */
    @Override
    final void rest(boolean finished) {
        if (extra instanceof HistorySpill s) s.trim(finished);
    }

    /** Forgets every event, dropped ones included. The caller holds this object's monitor. */
    @Override
    final void clear() {
        w0 = w1 = w2 = w3 = w4 = 0;
        end = 0;
        extra = null;
    }

    /** A page of the kept events after {@code afterRevision}, as entries; {@code owner} is the instance they are of. */
    @Override
    final synchronized HistoryPage page(WorkflowInstance owner, long afterRevision, int limit, HistoryNames names) {
        HistorySpill s = extra instanceof HistorySpill spill ? spill : null;
        HistoryCursor c = new HistoryCursor(this);
        c.time = base();
        int stop = end;
        if (s != null) {
            c.at = s.first;
            c.ref = s.refFirst;
            c.revision = s.baseRevision;
            c.time = s.baseTime;
            stop = s.end;
        }
        List<HistoryEntry> out = new ArrayList<>(Math.min(limit, 16));
        long lastRevision = -1;
        boolean more = false;
        while (c.at < stop) {
            c.next();
            long revision = c.eventRevision();
            if (revision <= afterRevision && out.isEmpty()) continue;
            if (out.size() >= limit && revision != lastRevision) {
                more = true;
                break;
            }
            out.add(HistoryEntry.of(HistoryCodec.event(owner, c.header, revision, c.time, c.pointer, names, refs(), c.refAt)));
            lastRevision = revision;
        }
        Long next = more ? lastRevision : null;
        return new HistoryPage(out, next, s == null ? HistoryPage.Dropped.NONE : s.dropped());
    }

    /**
     * The time a history in the fields steps from: its instance's creation, which its start is at (an instance keeps it
     * through every write). A spill keeps its own, which drops move on.
     */
    private long base() {
        WorkflowInstance i = instance;
        return i == null ? 0 : HistoryCodec.nanosOrZero(i.createdAt());
    }

    /**
     * The instance is about to be replaced by {@code next}: if that one was created at another time, a history in the
     * fields, which steps from the creation time, moves to a spill, which keeps its own. The caller holds this object's monitor.
     */
    @Override
    final void replacing(WorkflowInstance next) {
        WorkflowInstance i = instance;
        if (end == 0 || extra instanceof HistorySpill || i == null || next.createdAt() == i.createdAt()
                || HistoryCodec.nanosOrZero(next.createdAt()) == base()) return;
        spill(0, 0);
    }

    /** Whether the history is kept in the slot's fields (no spill); for tests. */
    final synchronized boolean inFields() {
        return !(extra instanceof HistorySpill);
    }

    /** The references as an array, for reading: the spill's, or the fields' (a copy). */
    private Object[] refs() {
        Object x = extra;
        if (x instanceof HistorySpill s) return s.refs;
        if (x instanceof Object[] a) return a;
        return x == null ? NO_REFS : new Object[] {ref(0)};
    }

    int unit(int i) {
        return extra instanceof HistorySpill s ? s.units[i] : inlineUnit(i);
    }

    private int inlineUnit(int i) {
        long w = switch (i >> 1) {
            case 0 -> w0;
            case 1 -> w1;
            case 2 -> w2;
            case 3 -> w3;
            default -> w4;
        };
        return (int) (w >>> ((i & 1) << 5));
    }

    private void setUnit(int i, int u) {
        if (extra instanceof HistorySpill s) {
            s.units[i] = u;
            return;
        }
        int shift = (i & 1) << 5;
        long mask = UNIT << shift;
        long bits = (u & UNIT) << shift;
        switch (i >> 1) {
            case 0 -> w0 = w0 & ~mask | bits;
            case 1 -> w1 = w1 & ~mask | bits;
            case 2 -> w2 = w2 & ~mask | bits;
            case 3 -> w3 = w3 & ~mask | bits;
            default -> w4 = w4 & ~mask | bits;
        }
    }

    Object ref(int i) {
        Object x = extra;
        if (x instanceof HistorySpill s) return s.refs[i];
        if (x instanceof Object[] a) return a[i];
        return x == NULL_REF ? null : x;
    }

    /** Adds a reference after the last: in the fields, the one reference or an array of exactly them. */
    private void addRef(Object r) {
        Object x = extra;
        if (x instanceof HistorySpill s) {
            s.refs[s.refEnd++] = r;
        } else if (x == null) {
            extra = r == null ? NULL_REF : r;
        } else if (x instanceof Object[] a) {
            Object[] grown = Arrays.copyOf(a, a.length + 1);
            grown[a.length] = r;
            extra = grown;
        } else {
            extra = new Object[] {x == NULL_REF ? null : x, r};
        }
    }
}
