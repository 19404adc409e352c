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

    /**
     * Runs {@code leased}, which this node has just created or claimed with its lease.
     *
     * @return true when the run lost its instance to a newer revision (another node, a command, this node's poller)
     */
    boolean run(WorkflowInstance leased, WorkflowDefinition definition, LocalRuns.Reservation reservation) {
        reservation.hold(leased);
        try {
            return advance(leased, definition, reservation);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("instance {} interrupted while the runner stops: its lease is handed back and another node continues it", leased.id());
            reservation.handBackHeld();
            return false;
        } catch (RuntimeException | Error e) {
            metrics.storeError();
            log.error("instance {} ({}) could not be advanced: {}; its lease expires and it is retried", leased.id(), leased.definition(),
                    LogSafe.of(e), e);
            return false;
        }
    }

    /**
     * The loop: step what is due, write when the run pauses or may not defer the write any longer. True when the run
     * lost its instance. What the run has done lives in locals (no object per run): the version stored last, the one
     * in memory, the changes between them and whether there are any.
     */
    private boolean advance(WorkflowInstance leased, WorkflowDefinition definition, LocalRuns.Reservation reservation)
            throws InterruptedException {
        WorkflowInstance saved = leased;
        WorkflowInstance current = leased;
        // Usually one transition between two saves: its own immutable change list is used as it is.
        List<WorkflowEvent> unsaved = List.of();
        // True when current has changes the store has not seen (a sleep changes the instance without a change event).
        boolean dirty = false;
        // When the last write landed, on the monotonic clock: it measures the burst delay, not workflow time.
        long lastWriteNanos = System.nanoTime();
        // The clock is read once per step: each transition's time (updatedAt) is the next step's start.
        Instant now = clock.instant();
        while (true) {
            Transition stepped = phase.isRunning() ? stepDue(current, definition, now) : null;
            if (stepped != null) {
                current = stepped.instance();
                unsaved = unsaved.isEmpty() ? stepped.changes() : concat(unsaved, stepped.changes());
                dirty = true;
            }
            if (current.updatedAt().isAfter(now)) now = current.updatedAt();
            boolean moreNow = stepped != null && phase.isRunning() && !WorkflowTransitions.duePointers(current, now).isEmpty();
            if (moreNow && mayDeferWrite(lastWriteNanos)) continue;
            // Nothing stepped, nothing unsaved, and no lease of this node's in the store: there is nothing to write.
            if (!dirty && saved.lease() == null) return false;
            // Writes before the last keep the lease as it is (renewals extend it for long runs), which spares a copy
            // of the instance per step; the last one hands it back.
            WorkflowInstance toSave = moreNow ? current : current.withLease(null);
            if (!commit(toSave, saved.revision(), unsaved, reservation)) return true;
            saved = toSave;
            current = toSave;
            unsaved = List.of();
            dirty = false;
            lastWriteNanos = System.nanoTime();
            if (!moreNow) return false;
        }
    }

    /**
     * Runs every pointer due at {@code now}: the step's own transition when one was (the usual case), their changes
     * joined when several were, null when none was due.
     */
    private Transition stepDue(WorkflowInstance instance, WorkflowDefinition definition, Instant now) throws InterruptedException {
        List<ExecutionPointer> due = WorkflowTransitions.duePointers(instance, now);
        if (due.isEmpty()) return null;
        if (due.size() == 1) return steps.execute(instance, definition, due.get(0), now);
        WorkflowInstance current = instance;
        List<WorkflowEvent> changes = new ArrayList<>();
        for (ExecutionPointer pointer : due) {
            // An earlier step of this round may have ended the branch or the instance (saga, join).
            if (!WorkflowTransitions.isStillDue(current, pointer)) continue;
            Transition t = steps.execute(current, definition, pointer, now);
            current = t.instance();
            changes.addAll(t.changes());
        }
        return new Transition(current, changes);
    }

    /** In burst mode, steps that follow at once may run before the write, up to {@code burstMaxDelay} after the last one. */
    private boolean mayDeferWrite(long lastWriteNanos) {
        return config.durability() == RunnerConfig.Durability.BURST
                && System.nanoTime() - lastWriteNanos < config.burstMaxDelay().toNanos();
    }

    /** The commit point. False when the store holds a newer revision: the run has lost its instance and stops. */
    private boolean commit(WorkflowInstance toSave, long savedRevision, List<WorkflowEvent> changes, LocalRuns.Reservation reservation)
            throws InterruptedException {
        effects.beforeSave(toSave, changes);
        if (!store.saveHolding(toSave, savedRevision, changes)) {
            metrics.staleWrite();
            log.info("instance {} ({}) changed under this node (stale revision {}): dropping its run", toSave.id(), toSave.definition(),
                    savedRevision);
            return false;
        }
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
