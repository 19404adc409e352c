package net.reactory.workflow.adapter.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;

import net.reactory.workflow.domain.instance.Lease;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/**
 * When the memory store must next sweep for expired leases: no claimable instance's lease ends before this mark. Every
 * write that leaves an instance leased lowers it to that lease's end if needed (after the write, so a sweep that misses
 * the write sees the mark); a sweep resets it first and lowers it to the earliest end it saw.
 *
 * <p>Every write of a leased instance reads the mark, from both cores, and it is seldom written: it is kept as nanoseconds
 * in a cache line of its own (the padding of the classes around it), so that no neighbour's writes make those reads miss.
 * As an {@code AtomicReference} placed wherever the collector put it, this read was 6 % of one events-workload profile and
 * 1 % of the next.
 */
final class LeaseSweepMark extends LeaseSweepMarkValue {

    /** Room after the mark, to the end of its cache line and beyond. */
    @SuppressWarnings("unused")
    private long q1, q2, q3, q4, q5, q6, q7, q8;

    private static final VarHandle NANOS;

    static {
        try {
            NANOS = MethodHandles.lookup().findVarHandle(LeaseSweepMarkValue.class, "nanos", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Whether a claim at {@code now} must sweep. */
    boolean passed(Instant now) {
        return nanosOf(now) >= nanos;
    }

    /** Before a sweep: a lease written while it runs, which its iteration may miss, lowers the mark again. */
    void reset() {
        nanos = Long.MAX_VALUE;
    }

    void lower(Instant to) {
        long target = nanosOf(to);
        for (long current = nanos; target < current; current = nanos) {
            if (NANOS.compareAndSet(this, current, target)) return;
        }
    }

    /** After a write: a leased, runnable instance may be claimed once its lease ends. */
    void noteLease(WorkflowInstance written) {
        Lease lease = written.lease();
        if (lease == null || written.status() != WorkflowStatus.RUNNABLE || written.nextExecution() == null) return;
        // Leases are written in nearly increasing order of their end: the usual case reads and leaves.
        if (nanosOf(lease.until()) >= nanos) return;
        lower(claimableAt(written));
    }

    /** When a leased runnable instance can be taken over: once its lease has ended and it is due. */
    static Instant claimableAt(WorkflowInstance leased) {
        Instant until = leased.lease().until();
        Instant next = leased.nextExecution();
        return until.isAfter(next) ? until : next;
    }

    /** {@code at} in nanoseconds since the epoch, saturated: an instant beyond the year 2262 counts as the end of time. */
    private static long nanosOf(Instant at) {
        long seconds = at.getEpochSecond();
        if (seconds >= Long.MAX_VALUE / 1_000_000_000L) return Long.MAX_VALUE;
        if (seconds <= Long.MIN_VALUE / 1_000_000_000L) return Long.MIN_VALUE;
        return seconds * 1_000_000_000L + at.getNano();
    }
}

/** Room before the mark: a superclass's fields come first in an object. */
abstract class LeaseSweepMarkPadding {
    @SuppressWarnings("unused")
    private long p1, p2, p3, p4, p5, p6, p7, p8;
}

abstract class LeaseSweepMarkValue extends LeaseSweepMarkPadding {
    /** The mark, in nanoseconds since the epoch; {@link Long#MAX_VALUE}: no lease to watch. */
    volatile long nanos = Long.MAX_VALUE;
}
