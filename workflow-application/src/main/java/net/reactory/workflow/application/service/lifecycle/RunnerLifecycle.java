package net.reactory.workflow.application.service.lifecycle;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import net.reactory.workflow.application.port.in.StartRequest;
import net.reactory.workflow.application.port.out.EventStore;
import net.reactory.workflow.application.port.out.RunnerMetrics;
import net.reactory.workflow.application.port.out.WorkSignal;
import net.reactory.workflow.application.service.RunnerConfig;
import net.reactory.workflow.application.service.command.Commands;
import net.reactory.workflow.application.service.definition.DefinitionRegistry;
import net.reactory.workflow.application.service.run.LocalRuns;
import net.reactory.workflow.application.service.run.RunnerPhase;
import net.reactory.workflow.application.service.run.RunnerThreads;
import net.reactory.workflow.application.service.run.Starts;
import net.reactory.workflow.application.service.run.StepExecutor;
import net.reactory.workflow.domain.definition.WorkflowDefinition;
import net.reactory.workflow.domain.instance.AutoStartReference;

/**
 * {@code initialize()} and {@code stop()}, and the timers in between: the poller, lease renewal, recurring
 * starts and the purge of delivered events. Initialising starts the threads, listens to the work signal and
 * starts the auto-start workflows; the timers begin once those are stored, so a failed auto-start fails the
 * initialisation and leaves nothing running.
 */
public final class RunnerLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RunnerLifecycle.class);
    private static final long PURGE_EVERY_MILLIS = TimeUnit.MINUTES.toMillis(10);

    private final RunnerConfig config;
    private final RunnerPhase phase;
    private final RunnerThreads threads;
    private final DefinitionRegistry registry;
    private final Starts starts;
    private final LocalRuns runs;
    private final Poller poller;
    private final RecurringStarts recurring;
    private final StepExecutor stepExecutor;
    private final WorkSignal workSignal;
    private final EventStore events;
    private final InstantSource clock;
    private final RunnerMetrics metrics;
    private final AtomicReference<CompletableFuture<Void>> initialization = new AtomicReference<>();
    private volatile AutoCloseable signalSubscription;

    public RunnerLifecycle(RunnerConfig config, RunnerPhase phase, RunnerThreads threads, DefinitionRegistry registry, Starts starts, LocalRuns runs,
                    Poller poller, RecurringStarts recurring, StepExecutor stepExecutor, WorkSignal workSignal, EventStore events,
                    InstantSource clock, RunnerMetrics metrics) {
        this.config = config;
        this.phase = phase;
        this.threads = threads;
        this.registry = registry;
        this.starts = starts;
        this.runs = runs;
        this.poller = poller;
        this.recurring = recurring;
        this.stepExecutor = stepExecutor;
        this.workSignal = workSignal;
        this.events = events;
        this.clock = clock;
        this.metrics = metrics;
    }

    public CompletableFuture<Void> initialize() {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        if (!initialization.compareAndSet(null, mine)) {
            return initialization.get();
        }
        try {
            threads.start();
            phase.set(RunnerPhase.Phase.RUNNING);
            signalSubscription = workSignal.subscribe(runs::claimAndRun);
            CompletableFuture.allOf(autoStarts().toArray(CompletableFuture[]::new)).whenComplete((ok, error) -> {
                if (error == null) {
                    startTimers();
                    log.info("workflow runner {} initialized with {} workflows", config.nodeId(), registry.workflows().size());
                    mine.complete(null);
                } else {
                    log.error("workflow runner failed to initialize: {}", unwrap(error).toString());
                    failed(mine, unwrap(error));
                }
            });
        } catch (RuntimeException e) {
            failed(mine, e);
        }
        return mine;
    }

    private void failed(CompletableFuture<Void> initializing, Throwable error) {
        shutdown(Duration.ZERO);
        initialization.set(null);
        initializing.completeExceptionally(error);
    }

    private List<CompletableFuture<String>> autoStarts() {
        List<CompletableFuture<String>> started = new ArrayList<>();
        for (WorkflowDefinition definition : registry.definitions()) {
            if (!definition.autoStart()) continue;
            RecurringStarts.Schedule recurs = RecurringStarts.scheduleOf(definition);
            if (recurs != null) {
                started.addAll(recurring.add(definition, recurs));
            } else {
                // At most one live per definition and version in the cluster: the store refuses a second live reference,
                // and the start then answers with the instance already running.
                started.add(starts.start(definition, new StartRequest(definition.key().toString(), null,
                        Map.of("when", clock.instant().toString()), AutoStartReference.live(definition.key()), "system", "auto-start")));
            }
        }
        return started;
    }

    private void startTimers() {
        threads.every(config.pollInterval().toMillis(), poller::pollSafely);
        threads.every(Math.max(1, config.leaseDuration().toMillis() / 3), this::renewLeasesSafely);
        threads.every(PURGE_EVERY_MILLIS, this::purgeDeliveredEvents);
        recurring.startTimer(threads.timer());
    }

    public boolean isInitialized() {
        CompletableFuture<Void> init = initialization.get();
        return phase.isRunning() && init != null && init.isDone() && !init.isCompletedExceptionally();
    }

    public CompletableFuture<Void> stop() {
        return CompletableFuture.runAsync(() -> {
            if (phase.isRunning()) {
                shutdown(config.stopTimeout());
            }
            initialization.set(null);
            log.info("workflow runner {} stopped", config.nodeId());
        }, command -> Thread.ofPlatform().name("workflow-stop").start(command));
    }

    private void shutdown(Duration grace) {
        phase.set(RunnerPhase.Phase.STOPPING);
        closeQuietly(signalSubscription);
        threads.stopTimers();
        try {
            if (!threads.finishRuns(grace)) {
                log.warn("{} instances still running after {}: interrupting them; their leases will expire", runs.count(), grace);
                threads.interruptRuns();
            }
        } catch (InterruptedException ie) {
            threads.abandonRuns();
            Thread.currentThread().interrupt();
        }
        try {
            threads.awaitTimers();
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
        stepExecutor.close();
        phase.set(RunnerPhase.Phase.STOPPED);
    }

    private void renewLeasesSafely() {
        try {
            runs.renewLeases();
        } catch (RuntimeException e) {
            metrics.storeError();
            log.warn("lease renewal failed, trying again later: {}", e.toString());
        }
    }

    /** Delivered events older than {@link Commands#KEEP_DELIVERED} are removed: within it, an event id published again changes nothing. */
    private void purgeDeliveredEvents() {
        try {
            long purged = events.purgeDeliveredBefore(clock.instant().minus(Commands.KEEP_DELIVERED));
            if (purged > 0) log.debug("{} delivered events older than {} removed", purged, Commands.KEEP_DELIVERED);
        } catch (RuntimeException ex) {
            log.warn("delivered events could not be purged: {}", ex.toString());
        }
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) return;
        try {
            closeable.close();
        } catch (Exception e) {
            log.debug("closing {} failed: {}", closeable, e.toString());
        }
    }
}
