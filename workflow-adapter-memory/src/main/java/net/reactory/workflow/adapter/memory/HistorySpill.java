package net.reactory.workflow.adapter.memory;

import java.util.Arrays;

import net.reactory.workflow.application.port.out.HistoryPage;

/**
 * A history too long for its slot's fields ({@link BoundedHistory}), or one past its cap: its units and references in
 * arrays that grow half as long again, with room to drop the oldest events without a copy per append, trimmed to what they
 * hold when the instance comes to rest. Read and written under the monitor of the slot that holds it.
 */
final class HistorySpill {

    /** The room a spill has over what it is made for, and what a trim leaves: a few units, a couple of references. */
    static final int SLACK_UNITS = 4;
    static final int SLACK_REFS = 2;

    int[] units;
    Object[] refs;
    /** Events {@code [first, end)} of the units are kept, their references {@code [refFirst, refEnd)}. */
    int first;
    int end;
    int refFirst;
    int refEnd;
    int events;
    /** The revision and time the last event packed is at (what the next one steps from). */
    long lastRevision;
    long lastTime;
    /** The revision and time the first kept event steps from. */
    long baseRevision;
    long baseTime;
    private long droppedCount;
    private long droppedFirst;
    private long droppedLast;

    /** A spill with room for {@code units} units and {@code refs} references. */
    HistorySpill(int units, int refs) {
        this.units = new int[units];
        this.refs = new Object[refs];
    }

    /** Whether {@code units} more units fit after {@code at}, and {@code refs} more references after {@code ref}. */
    boolean fits(int at, int ref, int units, int refs) {
        return at + units <= this.units.length && ref + refs <= this.refs.length;
    }

    /**
     * Makes room for {@code units} units and {@code refs} references after the kept events, which end at {@code at} and
     * {@code ref}: moved to the front, in longer arrays if a third of them would not be free then; {@code end} and {@code
     * refEnd} say where they end now.
     */
    void makeRoom(int at, int ref, int units, int refs) {
        int kept = at - first;
        int keptRefs = ref - refFirst;
        int length = this.units.length;
        int refLength = this.refs.length;
        int newLength = kept + units <= length * 2 / 3 ? length : Math.max(kept + units, length + length / 2);
        int newRefs = keptRefs + refs <= refLength * 2 / 3 ? refLength : Math.max(keptRefs + refs, refLength + Math.max(2, refLength / 2));
        move(kept, keptRefs, newLength, newRefs);
    }

    /**
     * Gives up the spare room: the instance rests, and a million resting ones would keep it all. A finished one keeps
     * none; a waiting one an eighth, so that a loop that waits in every turn copies its history once per eighth of it
     * appended, not once per wait. Room of a few units and references over that is left as it is: not worth a copy.
     */
    void trim(boolean finished) {
        int kept = end - first;
        int keptRefs = refEnd - refFirst;
        int length = kept + (finished ? 0 : kept / 8);
        int refLength = keptRefs + (finished ? 0 : keptRefs / 8);
        boolean units = this.units.length > length + SLACK_UNITS;
        boolean refs = this.refs.length > refLength + SLACK_REFS;
        if (units || refs) move(kept, keptRefs, units ? length : this.units.length, refs ? refLength : this.refs.length);
    }

    /** Moves the kept events to the front of arrays of the lengths given (the same ones, if of the same length). */
    private void move(int kept, int keptRefs, int length, int refLength) {
        int[] movedUnits = length == units.length ? units : new int[length];
        Object[] movedRefs = refLength == refs.length ? refs : new Object[refLength];
        System.arraycopy(units, first, movedUnits, 0, kept);
        System.arraycopy(refs, refFirst, movedRefs, 0, keptRefs);
        // What stays behind in an array kept in place must not hold dropped strings or events alive.
        if (movedRefs == refs) Arrays.fill(refs, keptRefs, Math.max(keptRefs, refFirst + keptRefs), null);
        units = movedUnits;
        refs = movedRefs;
        first = 0;
        refFirst = 0;
        end = kept;
        refEnd = keptRefs;
    }

    /**
     * The oldest kept event, of {@code revision}, is dropped and counted; the next one starts at {@code next} and {@code
     * nextRef}, and steps from {@code baseRevision} and {@code baseTime}.
     */
    void dropped(long revision, long baseRevision, long baseTime, int next, int nextRef) {
        if (droppedCount++ == 0) droppedFirst = revision;
        droppedLast = revision;
        this.baseRevision = baseRevision;
        this.baseTime = baseTime;
        Arrays.fill(refs, refFirst, nextRef, null);
        first = next;
        refFirst = nextRef;
        events--;
    }

    /** What the cap dropped. */
    HistoryPage.Dropped dropped() {
        return droppedCount == 0 ? HistoryPage.Dropped.NONE : new HistoryPage.Dropped(droppedCount, droppedFirst, droppedLast);
    }
}
