package net.reactory.workflow.adapter.memory;

import java.time.Instant;

import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/**
 * How {@link BoundedHistory} packs a change event into two longs and a few references, and back. The kinds every instance
 * writes (started, step completed, event awaited and received, resumed, completed) keep what {@link
 * net.reactory.workflow.application.port.out.HistoryEntry#of} reads of them and nothing else; any other event, or one whose
 * numbers do not fit, is kept whole. The event made back from the packed form gives the same entry as the original.
 *
 * <p>The first long (the stamp) is the event's time in nanoseconds since the epoch, or, for an event kept whole, its
 * revision. The second (the meta) is the revision in its upper 40 bits, the pointer in the next 20, the kind in the
 * lowest 4; kept whole, just the kind.
 */
final class HistoryCodec {

    private static final int WHOLE = 0;
    private static final int STARTED = 1;
    private static final int STARTED_WITH_REFERENCE = 2;
    private static final int STEP_COMPLETED = 3;
    private static final int COMPLETED = 4;
    private static final int AWAITED = 5;
    private static final int RECEIVED = 6;
    private static final int RESUMED = 7;
    /** The references each kind keeps, by kind. */
    private static final int[] REFS = {1, 0, 1, 1, 0, 3, 3, 0};

    private static final int KIND_BITS = 4;
    private static final int POINTER_BITS = 20;
    private static final int REVISION_SHIFT = KIND_BITS + POINTER_BITS;
    private static final long REVISION_LIMIT = 1L << (64 - REVISION_SHIFT);
    private static final int POINTER_LIMIT = 1 << POINTER_BITS;
    private static final long NANOS = 1_000_000_000L;
    /** The seconds whose every instant has a time in nanoseconds that fits a long (1677 to 2262). */
    private static final long MIN_SECOND = Long.MIN_VALUE / NANOS + 1;
    private static final long MAX_SECOND = Long.MAX_VALUE / NANOS - 1;

    private HistoryCodec() {
    }

    /**
     * How {@code e} is kept. Its class is tested first, most frequent first, and its numbers read through that class:
     * this runs twice per event on the hot path, where a call through {@link WorkflowEvent} meets a dozen classes, and a
     * pattern switch over the sealed type goes through a type-switch bootstrap; both cost more than these tests.
     */
    static int kindOf(WorkflowEvent e) {
        if (e instanceof WorkflowEvent.StepCompleted s) return fits(s.revision(), s.at()) && fits(s.pointerId()) ? STEP_COMPLETED : WHOLE;
        if (e instanceof WorkflowEvent.WorkflowStarted s) {
            return !fits(s.revision(), s.at()) ? WHOLE : s.reference() == null ? STARTED : STARTED_WITH_REFERENCE;
        }
        if (e instanceof WorkflowEvent.WorkflowCompleted c) return fits(c.revision(), c.at()) ? COMPLETED : WHOLE;
        if (e instanceof WorkflowEvent.EventAwaited w) return fits(w.revision(), w.at()) && fits(w.pointerId()) ? AWAITED : WHOLE;
        if (e instanceof WorkflowEvent.EventReceived r) return fits(r.revision(), r.at()) && fits(r.pointerId()) ? RECEIVED : WHOLE;
        if (e instanceof WorkflowEvent.WorkflowResumed r) return fits(r.revision(), r.at()) && r.origin() == null ? RESUMED : WHOLE;
        return WHOLE;
    }

    private static boolean fits(long revision, Instant at) {
        return revision >= 0 && revision < REVISION_LIMIT && at != null && at.getEpochSecond() >= MIN_SECOND && at.getEpochSecond() <= MAX_SECOND;
    }

    private static boolean fits(int pointer) {
        return pointer >= 0 && pointer < POINTER_LIMIT;
    }

    static int refCount(int kind) {
        return REFS[kind];
    }

    static int kindIn(long meta) {
        return (int) (meta & ((1 << KIND_BITS) - 1));
    }

    static long revision(long stamp, long meta) {
        return kindIn(meta) == WHOLE ? stamp : meta >>> REVISION_SHIFT;
    }

    /**
     * Writes {@code e}, kept as {@code kind}, as event {@code index} of {@code cells} and its references from {@code ref} on;
     * returns where the next event's references start.
     */
    static int pack(WorkflowEvent e, int kind, long[] cells, int index, Object[] refs, int ref) {
        switch (kind) {
            case STEP_COMPLETED -> {
                WorkflowEvent.StepCompleted s = (WorkflowEvent.StepCompleted) e;
                put(cells, index, s.revision(), s.at(), s.pointerId(), kind);
                refs[ref] = s.step();
            }
            case STARTED, STARTED_WITH_REFERENCE -> {
                WorkflowEvent.WorkflowStarted s = (WorkflowEvent.WorkflowStarted) e;
                put(cells, index, s.revision(), s.at(), 0, kind);
                if (kind == STARTED_WITH_REFERENCE) refs[ref] = s.reference();
            }
            case COMPLETED -> {
                WorkflowEvent.WorkflowCompleted c = (WorkflowEvent.WorkflowCompleted) e;
                put(cells, index, c.revision(), c.at(), 0, kind);
            }
            case AWAITED -> {
                WorkflowEvent.EventAwaited w = (WorkflowEvent.EventAwaited) e;
                put(cells, index, w.revision(), w.at(), w.pointerId(), kind);
                refs[ref] = w.step();
                refs[ref + 1] = w.eventName();
                refs[ref + 2] = w.eventKey();
            }
            case RECEIVED -> {
                WorkflowEvent.EventReceived r = (WorkflowEvent.EventReceived) e;
                put(cells, index, r.revision(), r.at(), r.pointerId(), kind);
                refs[ref] = r.step();
                refs[ref + 1] = r.eventName();
                refs[ref + 2] = r.eventKey();
            }
            case RESUMED -> {
                WorkflowEvent.WorkflowResumed r = (WorkflowEvent.WorkflowResumed) e;
                put(cells, index, r.revision(), r.at(), 0, kind);
            }
            default -> {
                cells[2 * index] = e.revision();
                cells[2 * index + 1] = WHOLE;
                refs[ref] = e;
            }
        }
        return ref + REFS[kind];
    }

    private static void put(long[] cells, int index, long revision, Instant at, int pointer, int kind) {
        cells[2 * index] = at.getEpochSecond() * NANOS + at.getNano();
        cells[2 * index + 1] = revision << REVISION_SHIFT | (long) pointer << KIND_BITS | kind;
    }

    /**
     * The event packed as {@code stamp}, {@code meta} and the references from {@code at} on, made again: of {@code owner},
     * with what the history does not show (an awaited event's effective date, a received one's id) left out.
     */
    static WorkflowEvent event(WorkflowInstance owner, long stamp, long meta, Object[] refs, int at) {
        int kind = kindIn(meta);
        if (kind == WHOLE) return (WorkflowEvent) refs[at];
        long revision = meta >>> REVISION_SHIFT;
        int pointer = (int) (meta >>> KIND_BITS) & (POINTER_LIMIT - 1);
        Instant time = Instant.ofEpochSecond(Math.floorDiv(stamp, NANOS), Math.floorMod(stamp, NANOS));
        String id = owner.id();
        var definition = owner.definition();
        return switch (kind) {
            case STARTED -> new WorkflowEvent.WorkflowStarted(id, definition, revision, time, null);
            case STARTED_WITH_REFERENCE -> new WorkflowEvent.WorkflowStarted(id, definition, revision, time, (String) refs[at]);
            case STEP_COMPLETED -> new WorkflowEvent.StepCompleted(id, definition, revision, time, (String) refs[at], pointer);
            case COMPLETED -> new WorkflowEvent.WorkflowCompleted(id, definition, revision, time);
            case AWAITED -> new WorkflowEvent.EventAwaited(id, definition, revision, time, (String) refs[at], pointer,
                    (String) refs[at + 1], (String) refs[at + 2], null);
            case RECEIVED -> new WorkflowEvent.EventReceived(id, definition, revision, time, (String) refs[at], pointer,
                    (String) refs[at + 1], (String) refs[at + 2], null);
            case RESUMED -> new WorkflowEvent.WorkflowResumed(id, definition, revision, time);
            default -> throw new IllegalStateException("no history kind " + kind);
        };
    }
}
