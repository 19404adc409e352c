package net.reactory.workflow.adapter.memory;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import net.reactory.workflow.domain.instance.Lease;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/**
 * When the memory store must next sweep for expired leases: no claimable instance's lease ends before this mark. Every
 * write that leaves an instance leased lowers it to that lease's end if needed (after the write, so a sweep that misses
 * the write sees the mark); a sweep resets it first and lowers it to the earliest end it saw.
 */
final class LeaseSweepMark {

    private final AtomicReference<Instant> at = new AtomicReference<>(Instant.MAX);

    /** Whether a claim at {@code now} must sweep. */
    boolean passed(Instant now) {
        return !now.isBefore(at.get());
    }

    /** Before a sweep: a lease written while it runs, which its iteration may miss, lowers the mark again. */
    void reset() {
        at.set(Instant.MAX);
    }

    void lower(Instant to) {
        for (Instant current = at.get(); to.isBefore(current); current = at.get()) {
            if (at.compareAndSet(current, to)) return;
        }
    }

    /** After a write: a leased, runnable instance may be claimed once its lease ends. */
    void noteLease(WorkflowInstance written) {
        Lease lease = written.lease();
        if (lease == null || written.status() != WorkflowStatus.RUNNABLE || written.nextExecution() == null) return;
        // Leases are written in nearly increasing order of their end: the usual case reads and leaves.
        if (!lease.until().isBefore(at.get())) return;
        lower(claimableAt(written));
    }

    /** When a leased runnable instance can be taken over: once its lease has ended and it is due. */
    static Instant claimableAt(WorkflowInstance leased) {
        Instant until = leased.lease().until();
        Instant next = leased.nextExecution();
        return until.isAfter(next) ? until : next;
    }
}
