package net.reactory.workflow.application.service.run;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import net.reactory.workflow.application.port.in.LogSafe;
import net.reactory.workflow.application.port.out.RunnerMetrics;
import net.reactory.workflow.application.service.RunnerConfig;
import net.reactory.workflow.application.service.resilience.GuardedInstanceStore;
import net.reactory.workflow.domain.instance.ExecutionPointer;
import net.reactory.workflow.domain.execution.Transition;
import net.reactory.workflow.domain.definition.WorkflowDefinition;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.execution.WorkflowTransitions;

/**
 * One instance run: the due steps back to back while this node holds the lease, on the run's virtual thread.
 * Every write goes through {@link #commit}, the one commit point: effects before the save, the save
 * conditional on the revision last saved, effects after it. The last write of a run hands the lease back in
 * the same round trip.
 */
public final class InstanceRun {

    private static final Logger log = LoggerFactory.getLogger(InstanceRun.class);

    private final GuardedInstanceStore store;
    private final StepExecutor steps;
    private final TransitionEffects effects;
    private final RunnerConfig config;
    private final InstantSource clock;
    private final RunnerPhase phase;
    private final RunnerMetrics metrics;

    public InstanceRun(GuardedInstanceStore store, StepExecutor steps, TransitionEffects effects, RunnerConfig config, InstantSource clock,
                RunnerPhase phase, RunnerMetrics metrics) {
        this.store = store;
        this.steps = steps;
        this.effects = effects;
        this.config = config;
        this.clock = clock;
        this.phase = phase;
        this.metrics = metrics;
    }

    /** What a run has done to its instance: the version stored last, the one in memory, and the changes between. */
    private static final class Progress {
        WorkflowInstance saved;
        WorkflowInstance current;
        /** Usually one transition between two saves: its own immutable change list is used as it is. */
        List<WorkflowEvent> unsaved = List.of();
        /** True when {@code current} has changes the store has not seen. */
        boolean dirty;
        /** When the last write landed, on the monotonic clock: it measures the burst delay, not workflow time. */
        long lastWriteNanos = System.nanoTime();

        Progress(WorkflowInstance leased) {
            saved = leased;
            current = leased;
        }

        void stepped(Transition t) {
            current = t.instance();
            unsaved = unsaved.isEmpty() ? t.changes() : concat(unsaved, t.changes());
            dirty = true;
        }

        void committed(WorkflowInstance stored) {
            saved = stored;
            current = stored;
            unsaved = List.of();
            dirty = false;
            lastWriteNanos = System.nanoTime();
        }
    }

    /**
     * Runs {@code leased}, which this node has just created or claimed with its lease.
     *
     * @return true when the run lost its instance to a newer revision (another node, a command, this node's poller)
     */
    boolean run(WorkflowInstance leased, WorkflowDefinition definition, LocalRuns.Reservation reservation) {
        reservation.hold(leased);
        Progress run = new Progress(leased);
        try {
            return advance(run, definition, reservation);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("instance {} interrupted while the runner stops: its lease is handed back and another node continues it", leased.id());
            reservation.handBack(run.saved);
            return false;
        } catch (RuntimeException | Error e) {
            metrics.storeError();
            log.error("instance {} ({}) could not be advanced: {}; its lease expires and it is retried", leased.id(), leased.definition(),
                    LogSafe.of(e), e);
            return false;
        }
    }

    /** The loop: step what is due, write when the run pauses or may not defer the write any longer. True when the run lost its instance. */
    private boolean advance(Progress run, WorkflowDefinition definition, LocalRuns.Reservation reservation) throws InterruptedException {
        // The clock is read once per step: each transition's time (updatedAt) is the next step's start.
        Instant now = clock.instant();
        while (true) {
            boolean stepped = phase.isRunning() && stepDue(run, definition, now);
            if (run.current.updatedAt().isAfter(now)) now = run.current.updatedAt();
            boolean moreNow = stepped && phase.isRunning() && !WorkflowTransitions.duePointers(run.current, now).isEmpty();
            if (moreNow && mayDeferWrite(run)) continue;
            // Nothing stepped, nothing unsaved, and no lease of this node's in the store: there is nothing to write.
            if (!run.dirty && run.saved.lease() == null) return false;
            // Writes before the last keep the lease as it is (renewals extend it for long runs), which spares a copy
            // of the instance per step; the last one hands it back.
            WorkflowInstance toSave = moreNow ? run.current : run.current.withLease(null);
            if (!commit(run, toSave, reservation)) return true;
            if (!moreNow) return false;
        }
    }

    /** Runs every pointer due at {@code now}; false when none was due. */
    private boolean stepDue(Progress run, WorkflowDefinition definition, Instant now) throws InterruptedException {
        List<ExecutionPointer> due = WorkflowTransitions.duePointers(run.current, now);
        for (ExecutionPointer pointer : due) {
            // An earlier step of this round may have ended the branch or the instance (saga, join).
            if (due.size() > 1 && !WorkflowTransitions.isStillDue(run.current, pointer)) continue;
            run.stepped(steps.execute(run.current, definition, pointer, now));
        }
        return !due.isEmpty();
    }

    /** In burst mode, steps that follow at once may run before the write, up to {@code burstMaxDelay} after the last one. */
    private boolean mayDeferWrite(Progress run) {
        return config.durability() == RunnerConfig.Durability.BURST
                && System.nanoTime() - run.lastWriteNanos < config.burstMaxDelay().toNanos();
    }

    /** The commit point. False when the store holds a newer revision: the run has lost its instance and stops. */
    private boolean commit(Progress run, WorkflowInstance toSave, LocalRuns.Reservation reservation) throws InterruptedException {
        List<WorkflowEvent> changes = run.unsaved;
        effects.beforeSave(toSave, changes);
        if (!store.saveHolding(toSave, run.saved.revision(), changes)) {
            metrics.staleWrite();
            log.info("instance {} ({}) changed under this node (stale revision {}): dropping its run", toSave.id(), toSave.definition(),
                    run.saved.revision());
            return false;
        }
        run.committed(toSave);
        reservation.hold(toSave);
        effects.afterCommit(toSave, changes);
        return true;
    }

    private static List<WorkflowEvent> concat(List<WorkflowEvent> first, List<WorkflowEvent> second) {
        List<WorkflowEvent> all = new ArrayList<>(first.size() + second.size());
        all.addAll(first);
        all.addAll(second);
        return all;
    }
}
