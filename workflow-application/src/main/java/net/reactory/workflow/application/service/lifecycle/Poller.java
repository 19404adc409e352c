package net.reactory.workflow.application.service.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import net.reactory.workflow.application.port.in.InstanceNotFoundException;
import net.reactory.workflow.application.port.out.RunnerMetrics;
import net.reactory.workflow.application.service.RunnerConfig;
import net.reactory.workflow.application.service.definition.DefinitionRegistry;
import net.reactory.workflow.application.service.events.ChildWorkflows;
import net.reactory.workflow.application.service.resilience.GuardedInstanceStore;
import net.reactory.workflow.application.service.run.LocalRuns;
import net.reactory.workflow.application.service.run.RunnerPhase;
import net.reactory.workflow.application.service.run.RunnerThreads;
import net.reactory.workflow.application.service.run.TransitionEffects;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/**
 * The safety net, and what waits on time or on other nodes: each poll claims due instances this node has room
 * for (timers, crashed nodes' work, lost signals), runs the chores (recurring auto-starts, workflow deadlines)
 * and looks after the waiters of instances run elsewhere. After each commit it completes the finish waiters
 * of a finished instance and sets a local timer for one that sleeps briefly, so short sleeps and retries do
 * not wait for a poll.
 */
public final class Poller implements TransitionEffects {

    private static final Logger log = LoggerFactory.getLogger(Poller.class);

    private final Map<String, CompletableFuture<WorkflowInstance>> finishWaiters = new ConcurrentHashMap<>();
    private final RunnerConfig config;
    private final GuardedInstanceStore store;
    private final LocalRuns runs;
    private final DefinitionRegistry registry;
    private final RecurringStarts recurring;
    private final DeadlineSweep deadlines;
    private final ChildWorkflows children;
    private final TransitionEffects effects;
    private final RunnerPhase phase;
    private final RunnerThreads threads;
    private final InstantSource clock;
    private final RunnerMetrics metrics;

    public Poller(RunnerConfig config, GuardedInstanceStore store, LocalRuns runs, DefinitionRegistry registry, RecurringStarts recurring,
           ChildWorkflows children, TransitionEffects effects, RunnerPhase phase, RunnerThreads threads, InstantSource clock,
           RunnerMetrics metrics) {
        this.children = children;
        this.config = config;
        this.store = store;
        this.runs = runs;
        this.registry = registry;
        this.recurring = recurring;
        this.deadlines = new DeadlineSweep(store, config.claimBatch());
        this.effects = effects;
        this.phase = phase;
        this.threads = threads;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** One poll: claims due instances this node has room for, and looks after waiters of instances run elsewhere. */
    public int pollNow() {
        if (!phase.isRunning() || store.isOpen()) return 0;
        Instant now = clock.instant();
        chores(now);
        int room = Math.min(config.claimBatch(), Math.max(0, config.maxConcurrent() * 4 - runs.count()));
        int claimedCount = 0;
        if (room > 0) {
            List<WorkflowInstance> claimed = store.claimDue(config.nodeId(), now, now.plus(config.leaseDuration()), room);
            claimedCount = claimed.size();
            if (claimedCount > 0) metrics.leaseClaimed(claimedCount);
            for (WorkflowInstance instance : claimed) {
                LocalRuns.Reservation reservation = runs.reserve(instance.id());
                if (reservation == null) {
                    // A signal's run got there first and will fail its own claim: hand this lease back at once rather
                    // than leave the instance unclaimable until the lease expires.
                    runs.decline(instance);
                    continue;
                }
                runs.run(reservation, instance);
            }
        }
        for (String waiting : List.copyOf(finishWaiters.keySet())) {
            if (!runs.holds(waiting)) {
                store.load(waiting).filter(WorkflowInstance::isFinished).ifPresent(this::completeWaiter);
            }
        }
        return claimedCount;
    }

    /** The poller's timer calls this: a failed poll is logged and tried again at the next one. */
    void pollSafely() {
        try {
            pollNow();
        } catch (RuntimeException e) {
            metrics.storeError();
            log.warn("poll failed, trying again in {}: {}", config.pollInterval(), e.toString());
        }
    }

    /** Recurring auto-starts, workflow deadlines and what a node that died left of its ended parents and children, with the poller. */
    private void chores(Instant now) {
        try {
            children.finishAfterCrashes();
        } catch (RuntimeException e) {
            log.warn("finishing what nodes that died left of ended parents and children failed, tried again at the next poll: {}", e.toString());
        }
        try {
            recurring.fireDue(now);
        } catch (RuntimeException e) {
            log.warn("recurring auto-starts failed: {}", e.toString());
        }
        try {
            deadlines.sweep(registry.definitions(), now, effects);
        } catch (RuntimeException e) {
            metrics.storeError();
            log.warn("workflow deadline sweep failed: {}", e.toString());
        }
    }

    /** Completes when the instance has finished, on this node or another. */
    public CompletableFuture<WorkflowInstance> awaitFinished(String instanceId) {
        // putIfAbsent rather than computeIfAbsent: the future is made anyway when none waits yet (nearly always), and an
        // empty bin takes it with one compare-and-set, where computeIfAbsent locks a reservation node made for the purpose.
        CompletableFuture<WorkflowInstance> fresh = new CompletableFuture<>();
        CompletableFuture<WorkflowInstance> waiting = finishWaiters.putIfAbsent(instanceId, fresh);
        CompletableFuture<WorkflowInstance> waiter = waiting != null ? waiting : fresh;
        // Registered first, then checked: an instance finishing in between is seen by one or the other.
        WorkflowInstance stored = store.load(instanceId).orElse(null);
        if (stored == null) {
            finishWaiters.remove(instanceId);
            waiter.completeExceptionally(new InstanceNotFoundException(instanceId));
        } else if (stored.isFinished()) {
            completeWaiter(stored);
        }
        return waiter;
    }

    @Override
    public void afterCommit(WorkflowInstance instance, List<WorkflowEvent> changes) {
        if (instance.isFinished()) {
            completeWaiter(instance);
        } else if (instance.status() == WorkflowStatus.RUNNABLE && instance.nextExecution() != null) {
            scheduleWakeUp(instance);
        }
    }

    /** A sleeping instance due soon gets a local timer, so short sleeps and retries do not wait for a poll. */
    private void scheduleWakeUp(WorkflowInstance instance) {
        // Due at its own transition's time: the run that saved it goes on with it, no timer (and no clock read) needed.
        if (!instance.nextExecution().isAfter(instance.updatedAt())) return;
        long delay = Duration.between(clock.instant(), instance.nextExecution()).toMillis();
        if (delay > 0 && delay < config.pollInterval().toMillis() * 10) {
            threads.schedule(() -> runs.claimAndRun(instance.id()), delay);
        }
    }

    private void completeWaiter(WorkflowInstance finished) {
        CompletableFuture<WorkflowInstance> waiter = finishWaiters.remove(finished.id());
        if (waiter != null) waiter.complete(finished);
    }
}
