package net.reactory.workflow.adapter.memory;

import java.time.Instant;

import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/**
 * How {@link BoundedHistory} packs a change event into a few 32-bit units and references, and back. The kinds every
 * instance writes (started, step completed, event awaited and received, resumed, completed) keep what {@link
 * net.reactory.workflow.application.port.out.HistoryEntry#of} reads of them and nothing else; any other event, or one whose
 * time has no nanosecond count in a long, is kept whole. The event made back from the packed form gives the same entry as
 * the original.
 *
 * <p>An event's revision and time are kept relative to the event packed before it (or, for the first, to the history's
 * base): the events of one transition share both, and the transitions of one instance follow each other closely, so most
 * events need few bits. The first unit of an event (its header) says in its lowest two bits how long it is:
 * <ul>
 *   <li>short, one unit: kind (3 bits), revision step (2), pointer (6), name (11), time step in nanoseconds (8);</li>
 *   <li>long, two units: kind (3), revision step (4), pointer (10), name (11), time step (34 bits, 17 seconds);</li>
 *   <li>wide, six units: kind and name in the header, then the pointer, the revision and the time in full.</li>
 * </ul>
 * A name is an index into the store's {@link HistoryNames} (a step, or a step and the event it waits for), 0 when the
 * table is full, and then the names are references. An event kept whole is a short header of kind 0 and its one reference.
 */
final class HistoryCodec {

    static final int WHOLE = 0;
    static final int STARTED = 1;
    static final int STARTED_WITH_REFERENCE = 2;
    static final int STEP_COMPLETED = 3;
    static final int COMPLETED = 4;
    static final int AWAITED = 5;
    static final int RECEIVED = 6;
    static final int RESUMED = 7;

    static final int SHORT = 1;
    static final int LONG = 2;
    static final int WIDE = 3;
    static final int WIDE_UNITS = 6;
    /** The header of an event kept whole. */
    static final int WHOLE_HEADER = SHORT;

    static final long UNIT = 0xFFFF_FFFFL;
    /**
     * The references of each kind, two bits per kind from {@link #WHOLE} on: its own (the event kept whole, a start's
     * reference, a wait's key), and, when its names have no number, its names too (a step's; a wait's step and event).
     */
    private static final int REFS = 1 | 1 << 2 * STARTED_WITH_REFERENCE | 1 << 2 * AWAITED | 1 << 2 * RECEIVED;
    private static final int REFS_NAMES_AS_REFS = 1 | 1 << 2 * STARTED_WITH_REFERENCE | 1 << 2 * STEP_COMPLETED
            | 3 << 2 * AWAITED | 3 << 2 * RECEIVED;
    private static final int NAME_MASK = HistoryNames.LIMIT;
    private static final long SHORT_REVISIONS = 1 << 2;
    private static final int SHORT_POINTERS = 1 << 6;
    private static final long SHORT_TIME = 1 << 8;
    private static final long LONG_REVISIONS = 1 << 4;
    private static final int LONG_POINTERS = 1 << 10;
    private static final long LONG_TIME = 1L << 34;
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
        if (e instanceof WorkflowEvent.StepCompleted s) return fits(s.at()) ? STEP_COMPLETED : WHOLE;
        if (e instanceof WorkflowEvent.WorkflowStarted s) return !fits(s.at()) ? WHOLE : s.reference() == null ? STARTED : STARTED_WITH_REFERENCE;
        if (e instanceof WorkflowEvent.WorkflowCompleted c) return fits(c.at()) ? COMPLETED : WHOLE;
        if (e instanceof WorkflowEvent.EventAwaited w) return fits(w.at()) ? AWAITED : WHOLE;
        if (e instanceof WorkflowEvent.EventReceived r) return fits(r.at()) ? RECEIVED : WHOLE;
        if (e instanceof WorkflowEvent.WorkflowResumed r) return fits(r.at()) && r.origin() == null ? RESUMED : WHOLE;
        if (e == null) throw new NullPointerException("a change event is null");
        return WHOLE;
    }

    private static boolean fits(Instant at) {
        return at != null && at.getEpochSecond() >= MIN_SECOND && at.getEpochSecond() <= MAX_SECOND;
    }

    /** {@code at} in nanoseconds since the epoch, or 0 when it has none (null, or beyond a long's nanoseconds). */
    static long nanosOrZero(Instant at) {
        return fits(at) ? nanos(at) : 0;
    }

    static long nanos(Instant at) {
        return at.getEpochSecond() * NANOS + at.getNano();
    }

    /**
     * The header (low 32 bits) and second unit of a packed event of {@code kind}, {@code revisionStep} and {@code timeStep}
     * after the one before it (unsigned; negative for a step back), short or long; 0 when it needs the wide form.
     */
    static long compact(int kind, long revisionStep, int pointer, int name, long timeStep) {
        if (Long.compareUnsigned(revisionStep, SHORT_REVISIONS) < 0 && pointer >= 0 && pointer < SHORT_POINTERS
                && Long.compareUnsigned(timeStep, SHORT_TIME) < 0) {
            return SHORT | kind << 2 | revisionStep << 5 | pointer << 7 | (long) name << 13 | timeStep << 24;
        }
        if (Long.compareUnsigned(revisionStep, LONG_REVISIONS) < 0 && pointer >= 0 && pointer < LONG_POINTERS
                && Long.compareUnsigned(timeStep, LONG_TIME) < 0) {
            return LONG | kind << 2 | revisionStep << 5 | (long) pointer << 9 | (long) name << 19 | timeStep << 30;
        }
        return 0;
    }

    /** The header of a wide event. */
    static int wideHeader(int kind, int name) {
        return WIDE | kind << 2 | name << 5;
    }

    /** {@code to - from} as an unsigned step, or -1 (no step fits) when {@code to} is before {@code from}. */
    static long step(long from, long to) {
        return to >= from ? to - from : -1;
    }

    static int form(int header) {
        return header & 3;
    }

    static int kind(int header) {
        return header >>> 2 & 7;
    }

    static int units(int header) {
        int form = header & 3;
        return form == SHORT ? 1 : form == LONG ? 2 : WIDE_UNITS;
    }

    static int name(int header) {
        int form = header & 3;
        return (form == SHORT ? header >>> 13 : form == LONG ? header >>> 19 : header >>> 5) & NAME_MASK;
    }

    /** The pointer of a short or long event. */
    static int pointer(int header) {
        return (header & 3) == SHORT ? header >>> 7 & (SHORT_POINTERS - 1) : header >>> 9 & (LONG_POINTERS - 1);
    }

    /** The revision step of a short or long event. */
    static long revisionStep(int header) {
        return (header & 3) == SHORT ? header >>> 5 & 3 : header >>> 5 & 15;
    }

    /** The time step of a short event, or of a long one whose second unit is {@code second}. */
    static long timeStep(int header, int second) {
        return (header & 3) == SHORT ? header >>> 24 : (header >>> 30 & 3) | (second & UNIT) << 2;
    }

    /** The references an event with this header keeps. */
    static int refCount(int header) {
        return (name(header) == 0 ? REFS_NAMES_AS_REFS : REFS) >>> (kind(header) << 1) & 3;
    }

    /**
     * The event packed with this header, revision, time, pointer and the references from {@code at} on, made again: of
     * {@code owner}, with what the history does not show (an awaited event's effective date, a received one's id) left out.
     */
    static WorkflowEvent event(WorkflowInstance owner, int header, long revision, long nanos, int pointer, HistoryNames names,
                               Object[] refs, int at) {
        int kind = kind(header);
        if (kind == WHOLE) return (WorkflowEvent) refs[at];
        Instant time = Instant.ofEpochSecond(Math.floorDiv(nanos, NANOS), Math.floorMod(nanos, NANOS));
        String id = owner.id();
        var definition = owner.definition();
        int name = name(header);
        return switch (kind) {
            case STARTED -> new WorkflowEvent.WorkflowStarted(id, definition, revision, time, null);
            case STARTED_WITH_REFERENCE -> new WorkflowEvent.WorkflowStarted(id, definition, revision, time, (String) refs[at]);
            case STEP_COMPLETED -> new WorkflowEvent.StepCompleted(id, definition, revision, time,
                    name == 0 ? (String) refs[at] : (String) names.name(name), pointer);
            case COMPLETED -> new WorkflowEvent.WorkflowCompleted(id, definition, revision, time);
            case AWAITED, RECEIVED -> {
                String step = name == 0 ? (String) refs[at] : ((HistoryNames.Wait) names.name(name)).step();
                String eventName = name == 0 ? (String) refs[at + 1] : ((HistoryNames.Wait) names.name(name)).eventName();
                String key = (String) refs[name == 0 ? at + 2 : at];
                yield kind == AWAITED ? new WorkflowEvent.EventAwaited(id, definition, revision, time, step, pointer, eventName, key, null)
                        : new WorkflowEvent.EventReceived(id, definition, revision, time, step, pointer, eventName, key, null);
            }
            case RESUMED -> new WorkflowEvent.WorkflowResumed(id, definition, revision, time);
            default -> throw new IllegalStateException("no history kind " + kind);
        };
    }
}
