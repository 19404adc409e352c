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
 * wait) is kept in this slot's own fields: {@code w0} to {@code w3} hold its units, {@code extra} its references (none,
 * the one, or an array of exactly them), and no other object is made for it; its first event steps from the instance's
 * creation time, so that the slot needs no field for a base (56 bytes in all). A longer one, or one past its cap, moves to
 * a {@link HistorySpill}, which {@code extra} then holds.
 *
 * <p>Appends come from the store's write of the instance and reads from anywhere; both hold this object's monitor (this is
 * the store's slot, written under its own monitor), uncontended but for a reader.
 */
class BoundedHistory extends InstanceSlot {

    private static final int INLINE_UNITS = 8;

    /** Where the history is read or written: the next event's units and references, and what it steps from. */
    private final class Cursor {
        int at;
        int ref;
        int count;
        long revision;
        long time;
        /** The header, pointer and first reference of the event {@link #next} read. */
        int header;
        int pointer;
        int refAt;

        /** Reads the event at {@code at} and moves past it. */
        void next() {
            int h = unit(at);
            header = h;
            refAt = ref;
            int form = HistoryCodec.form(h);
            if (form == HistoryCodec.WIDE) {
                pointer = unit(at + 1);
                revision = pair(at + 2);
                time = pair(at + 4);
            } else if (HistoryCodec.kind(h) != HistoryCodec.WHOLE) {
                revision += HistoryCodec.revisionStep(h);
                time += HistoryCodec.timeStep(h, form == HistoryCodec.LONG ? unit(at + 1) : 0);
                pointer = HistoryCodec.pointer(h);
            }
            at += HistoryCodec.units(h);
            ref += HistoryCodec.refCount(h);
            count++;
        }

        /** The revision of the event {@link #next} read. */
        long eventRevision() {
            return HistoryCodec.kind(header) == HistoryCodec.WHOLE ? ((WorkflowEvent) ref(refAt)).revision() : revision;
        }

        private long pair(int i) {
            return unit(i) & UNIT | (long) unit(i + 1) << 32;
        }
    }

    private long w0;
    private long w1;
    private long w2;
    private long w3;
    /** The units used in the fields. */
    private int end;
    /** The references of a history in the fields (none, the one, or an array of exactly them), or its {@link HistorySpill}. */
    private Object extra;

    BoundedHistory(WorkflowInstance instance) {
        super(instance);
    }

    /**
     * Appends {@code events}, keeping at most {@code cap} of the newest (none for 0), their names numbered in {@code names}.
     * The caller holds this object's monitor.
     */
    @Override
    final void append(List<WorkflowEvent> events, int cap, HistoryNames names) {
        int n = events.size();
        if (n == 0 || cap == 0) return;
        // An event that cannot be read fails before any is kept.
        for (int i = 0; i < n; i++) if (events.get(i) == null) throw new NullPointerException("change event " + i + " is null");
        Cursor c = atEnd();
        for (int i = 0; i < n; i++) pack(events.get(i), c, names);
        if (extra instanceof HistorySpill s) {
            s.end = c.at;
            s.refEnd = c.ref;
            s.events = c.count;
            s.lastRevision = c.revision;
            s.lastTime = c.time;
        } else {
            end = c.at;
        }
        if (c.count > cap) {
            HistorySpill s = spill(c);
            while (s.events > cap) drop(s);
        }
    }

    /** A cursor past the last event, at the revision and time it is at. */
    private Cursor atEnd() {
        Cursor c = new Cursor();
        if (extra instanceof HistorySpill s) {
            c.at = s.end;
            c.ref = s.refEnd;
            c.count = s.events;
            c.revision = s.lastRevision;
            c.time = s.lastTime;
            return c;
        }
        c.time = base();
        while (c.at < end) c.next();
        return c;
    }

    /** Packs {@code e} at the cursor and moves it on. */
    private void pack(WorkflowEvent e, Cursor c, HistoryNames names) {
        int kind = HistoryCodec.kindOf(e);
        long revision;
        Instant at;
        int pointer = 0;
        int name = 0;
        Object r0 = null;
        int refs = 0;
        switch (kind) {
            case HistoryCodec.STEP_COMPLETED -> {
                WorkflowEvent.StepCompleted s = (WorkflowEvent.StepCompleted) e;
                revision = s.revision();
                at = s.at();
                pointer = s.pointerId();
                name = names.id(s.step());
                if (name == 0) {
                    r0 = s.step();
                    refs = 1;
                }
            }
            case HistoryCodec.STARTED, HistoryCodec.STARTED_WITH_REFERENCE -> {
                WorkflowEvent.WorkflowStarted s = (WorkflowEvent.WorkflowStarted) e;
                revision = s.revision();
                at = s.at();
                r0 = s.reference();
                refs = kind == HistoryCodec.STARTED ? 0 : 1;
            }
            case HistoryCodec.COMPLETED -> {
                revision = ((WorkflowEvent.WorkflowCompleted) e).revision();
                at = ((WorkflowEvent.WorkflowCompleted) e).at();
            }
            case HistoryCodec.AWAITED, HistoryCodec.RECEIVED -> {
                packWait(e, kind, c, names);
                return;
            }
            case HistoryCodec.RESUMED -> {
                revision = ((WorkflowEvent.WorkflowResumed) e).revision();
                at = ((WorkflowEvent.WorkflowResumed) e).at();
            }
            default -> {
                room(c, 1, 1);
                setUnit(c.at++, HistoryCodec.WHOLE_HEADER);
                setRef(c.ref++, e);
                c.count++;
                return;
            }
        }
        put(c, kind, revision, HistoryCodec.nanos(at), pointer, name);
        if (refs > 0) setRef(c.ref++, r0);
    }

    /** Packs an event awaited or received at the cursor: its step and event name by number, its key as a reference. */
    private void packWait(WorkflowEvent e, int kind, Cursor c, HistoryNames names) {
        boolean awaited = kind == HistoryCodec.AWAITED;
        WorkflowEvent.EventAwaited w = awaited ? (WorkflowEvent.EventAwaited) e : null;
        WorkflowEvent.EventReceived r = awaited ? null : (WorkflowEvent.EventReceived) e;
        String step = awaited ? w.step() : r.step();
        String eventName = awaited ? w.eventName() : r.eventName();
        int name = names.id(step, eventName);
        put(c, kind, awaited ? w.revision() : r.revision(), HistoryCodec.nanos(awaited ? w.at() : r.at()),
                awaited ? w.pointerId() : r.pointerId(), name);
        if (name == 0) {
            setRef(c.ref++, step);
            setRef(c.ref++, eventName);
        }
        setRef(c.ref++, awaited ? w.eventKey() : r.eventKey());
    }

    /** Writes the units of an event at the cursor, with room for its {@code refs} references, and moves it on. */
    private void put(Cursor c, int kind, long revision, long time, int pointer, int name) {
        long code = HistoryCodec.compact(kind, HistoryCodec.step(c.revision, revision), pointer, name, HistoryCodec.step(c.time, time));
        int units = code == 0 ? HistoryCodec.WIDE_UNITS : HistoryCodec.units((int) code);
        int refs = HistoryCodec.refCount(code == 0 ? HistoryCodec.wideHeader(kind, name) : (int) code);
        room(c, units, refs);
        int i = c.at;
        if (code == 0) {
            setUnit(i, HistoryCodec.wideHeader(kind, name));
            setUnit(i + 1, pointer);
            setUnit(i + 2, (int) revision);
            setUnit(i + 3, (int) (revision >>> 32));
            setUnit(i + 4, (int) time);
            setUnit(i + 5, (int) (time >>> 32));
        } else {
            setUnit(i, (int) code);
            if (units == 2) setUnit(i + 1, (int) (code >>> 32));
        }
        c.at = i + units;
        c.count++;
        c.revision = revision;
        c.time = time;
    }

    /** Room at the cursor for {@code units} more units and {@code refs} more references. */
    private void room(Cursor c, int units, int refs) {
        Object x = extra;
        HistorySpill s;
        if (x instanceof HistorySpill spill) {
            s = spill;
        } else {
            if (c.at + units <= INLINE_UNITS) return;
            s = spill(c);
        }
        if (s.fits(c.at, c.ref, units, refs)) return;
        s.makeRoom(c.at, c.ref, units, refs);
        c.at = s.end;
        c.ref = s.refEnd;
    }

    /** This history in a {@link HistorySpill}, moved there from the fields if need be (the cursor's events with it). */
    private HistorySpill spill(Cursor c) {
        if (extra instanceof HistorySpill s) return s;
        HistorySpill s = new HistorySpill(c.at, c.ref);
        for (int i = 0; i < c.at; i++) s.units[i] = unit(i);
        for (int i = 0; i < c.ref; i++) s.refs[i] = ref(i);
        s.end = c.at;
        s.refEnd = c.ref;
        s.events = c.count;
        s.lastRevision = c.revision;
        s.lastTime = c.time;
        s.baseTime = base();
        w0 = w1 = w2 = w3 = 0;
        end = 0;
        extra = s;
        return s;
    }

    /** Drops the oldest kept event of {@code s}, counting it; the next one steps from it now. */
    private void drop(HistorySpill s) {
        Cursor c = new Cursor();
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
        w0 = w1 = w2 = w3 = 0;
        end = 0;
        extra = null;
    }

    /** A page of the kept events after {@code afterRevision}, as entries; {@code owner} is the instance they are of. */
    @Override
    final synchronized HistoryPage page(WorkflowInstance owner, long afterRevision, int limit, HistoryNames names) {
        HistorySpill s = extra instanceof HistorySpill spill ? spill : null;
        Cursor c = new Cursor();
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
        spill(atEnd());
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
        return new Object[] {x};
    }

    private int unit(int i) {
        if (extra instanceof HistorySpill s) return s.units[i];
        long w = switch (i >> 1) {
            case 0 -> w0;
            case 1 -> w1;
            case 2 -> w2;
            default -> w3;
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
            default -> w3 = w3 & ~mask | bits;
        }
    }

    private Object ref(int i) {
        Object x = extra;
        if (x instanceof HistorySpill s) return s.refs[i];
        return x instanceof Object[] a ? a[i] : x;
    }

    /** Sets reference {@code i}, the next one: in the fields, the one reference or an array of exactly them. */
    private void setRef(int i, Object r) {
        Object x = extra;
        if (x instanceof HistorySpill s) s.refs[i] = r;
        else if (i == 0) extra = r;
        else if (x instanceof Object[] a) {
            Object[] grown = Arrays.copyOf(a, i + 1);
            grown[i] = r;
            extra = grown;
        } else extra = new Object[] {x, r};
    }
}
