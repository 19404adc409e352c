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

    static final int WHOLE = 0;
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
     * How {@code e} is kept. Tests of its class, most frequent first, rather than a pattern switch: this runs twice per
     * event on the hot path, and a switch over a sealed type goes through a type-switch bootstrap that costs more.
     */
    static int kindOf(WorkflowEvent e) {
        if (!fits(e.revision(), e.at())) return WHOLE;
        if (e instanceof WorkflowEvent.StepCompleted s) return fits(s.pointerId()) ? STEP_COMPLETED : WHOLE;
        if (e instanceof WorkflowEvent.WorkflowStarted s) return s.reference() == null ? STARTED : STARTED_WITH_REFERENCE;
        if (e instanceof WorkflowEvent.WorkflowCompleted) return COMPLETED;
        if (e instanceof WorkflowEvent.EventAwaited w) return fits(w.pointerId()) ? AWAITED : WHOLE;
        if (e instanceof WorkflowEvent.EventReceived r) return fits(r.pointerId()) ? RECEIVED : WHOLE;
        if (e instanceof WorkflowEvent.WorkflowResumed r) return r.origin() == null ? RESUMED : WHOLE;
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

    static long stamp(WorkflowEvent e, int kind) {
        if (kind == WHOLE) return e.revision();
        return e.at().getEpochSecond() * NANOS + e.at().getNano();
    }

    static long meta(WorkflowEvent e, int kind) {
        if (kind == WHOLE) return WHOLE;
        int pointer = switch (kind) {
            case STEP_COMPLETED -> ((WorkflowEvent.StepCompleted) e).pointerId();
            case AWAITED -> ((WorkflowEvent.EventAwaited) e).pointerId();
            case RECEIVED -> ((WorkflowEvent.EventReceived) e).pointerId();
            default -> 0;
        };
        return e.revision() << REVISION_SHIFT | (long) pointer << KIND_BITS | kind;
    }

    static long revision(long stamp, long meta) {
        return kindIn(meta) == WHOLE ? stamp : meta >>> REVISION_SHIFT;
    }

    /** Writes the references {@code e} keeps from {@code at} on; returns where the next event's start. */
    static int putRefs(WorkflowEvent e, int kind, Object[] refs, int at) {
        switch (kind) {
            case WHOLE -> refs[at] = e;
            case STARTED_WITH_REFERENCE -> refs[at] = ((WorkflowEvent.WorkflowStarted) e).reference();
            case STEP_COMPLETED -> refs[at] = ((WorkflowEvent.StepCompleted) e).step();
            case AWAITED -> {
                WorkflowEvent.EventAwaited w = (WorkflowEvent.EventAwaited) e;
                refs[at] = w.step();
                refs[at + 1] = w.eventName();
                refs[at + 2] = w.eventKey();
            }
            case RECEIVED -> {
                WorkflowEvent.EventReceived r = (WorkflowEvent.EventReceived) e;
                refs[at] = r.step();
                refs[at + 1] = r.eventName();
                refs[at + 2] = r.eventKey();
            }
            default -> { }
        }
        return at + REFS[kind];
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
