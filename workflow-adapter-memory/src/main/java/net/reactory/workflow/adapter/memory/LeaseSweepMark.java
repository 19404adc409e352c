package net.reactory.workflow.adapter.memory;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import net.reactory.workflow.domain.instance.Lease;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/**
 * When the memory store must next sweep for expired leases: no claimable instance's lease ends before this mark. Every
 * write that leaves an instance leased lowers it to that lease's end if needed (after the write, so a sweep that misses
 * the write sees the mark); a sweep resets it first and lowers it to the earliest end it saw.
 *
 * <p>Every write of a leased instance reads the mark, so it is kept as nanoseconds since the epoch: a compare of two
 * longs, with no {@code Instant} to follow from the mark.
 */
final class LeaseSweepMark {

    /** The mark; {@link Long#MAX_VALUE}: no lease to watch. */
    private final AtomicLong nanos = new AtomicLong(Long.MAX_VALUE);

    /** Whether a claim at {@code now} must sweep. */
    boolean passed(Instant now) {
        return nanosOf(now) >= nanos.get();
    }

    /** Before a sweep: a lease written while it runs, which its iteration may miss, lowers the mark again. */
    void reset() {
        nanos.set(Long.MAX_VALUE);
    }

    void lower(Instant to) {
        nanos.accumulateAndGet(nanosOf(to), Math::min);
    }

    /** After a write: a leased, runnable instance may be claimed once its lease ends. */
    void noteLease(WorkflowInstance written) {
        Lease lease = written.lease();
        if (lease == null || written.status() != WorkflowStatus.RUNNABLE || written.nextExecution() == null) return;
        // Leases are written in nearly increasing order of their end: the usual case reads and leaves.
        if (nanosOf(lease.until()) >= nanos.get()) return;
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
