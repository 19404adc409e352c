package net.reactory.workflow.application.service;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import net.reactory.workflow.application.port.in.CommandOrigin;
import net.reactory.workflow.application.port.in.RunnerNotInitializedException;
import net.reactory.workflow.application.port.in.StartRequest;
import net.reactory.workflow.application.port.out.AuditEntry;
import net.reactory.workflow.application.port.out.AuditLog;
import net.reactory.workflow.application.port.out.EventStore;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.port.out.PublishedEvent;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/**
 * What the runner does for the workflow language besides running steps: external events and child
 * workflows. The runner calls {@link #beforeSave} with each transition's changes before saving it,
 * {@link #changed} after each saved transition and {@link #saved} after each saved instance; each costs a
 * type check per change on the hot path, and none throws.
 */
final class WorkflowLanguage {

    private static final Logger log = LoggerFactory.getLogger(WorkflowLanguage.class);
    /** Delivered events are kept this long: within it, publishing an event id again changes nothing. */
    static final Duration KEEP_DELIVERED = Duration.ofDays(1);
    private static final long PURGE_EVERY_MINUTES = 10;

    private final EventDelivery delivery;
    private final ChildWorkflows children;
    private final InstantSource clock;
    private final Ids ids;
    private final AuditLog audit;
    private final Supplier<ExecutorService> executor;
    private final Supplier<ScheduledExecutorService> timer;
    private final EventStore events;
    private final AtomicReference<ScheduledExecutorService> purging = new AtomicReference<>();

    WorkflowLanguage(EventStore events, InstanceStore store, DefinitionRegistry registry, InstantSource clock, Ids ids, AuditLog audit,
                     Supplier<ExecutorService> executor, Supplier<ScheduledExecutorService> timer, LocalRuns runs,
                     Consumer<List<WorkflowEvent>> lifecycle,
                     Function<StartRequest, CompletableFuture<String>> starter, BiConsumer<String, String> terminateChild) {
        this.delivery = new EventDelivery(events, store, registry, clock, runs, timer, lifecycle);
        this.children = new ChildWorkflows(starter, this::publishQuietly, clock, store, terminateChild);
        this.clock = clock;
        this.ids = ids;
        this.audit = audit;
        this.executor = executor;
        this.timer = timer;
        this.events = events;
    }

    /** {@code publishEvent} of the runner: stores the event and resumes the waits it matches, asynchronously. */
    CompletableFuture<String> publishEvent(String eventId, String name, String key, Object data, Instant effectiveAt, CommandOrigin origin) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("an event needs a name");
        if (key == null) throw new IllegalArgumentException("event '" + name + "' needs a key");
        String id = eventId == null || eventId.isBlank() ? ids.next() : eventId;
        Instant now = clock.instant();
        PublishedEvent event = new PublishedEvent(id, name, key, data, effectiveAt == null ? now : effectiveAt, now);
        ExecutorService e = executor.get();
        if (e == null) throw new RunnerNotInitializedException("publishEvent");
        purgeRegularly();
        try {
            return CompletableFuture.supplyAsync(() -> {
                boolean fresh = delivery.publish(event);
                record(new AuditEntry(now, origin.actor(), origin.entryPoint(), "publishEvent", name + "/" + key, "accepted",
                        fresh ? id : id + " was published already"));
                return id;
            }, e);
        } catch (RejectedExecutionException stopped) {
            throw new RunnerNotInitializedException("publishEvent");
        }
    }

    void changed(List<WorkflowEvent> changes) {
        for (int i = 0; i < changes.size(); i++) {
            if (changes.get(i) instanceof WorkflowEvent.EventAwaited wait) {
                try {
                    delivery.awaited(wait);
                } catch (RuntimeException e) {
                    log.warn("the wait of instance {} for {}/{} could not be registered; the event is not delivered to it: {}",
                            wait.instanceId(), wait.eventName(), wait.eventKey(), e.toString());
                }
            }
        }
    }

    /** Before a transition is saved: its waits are registered and the children it asks for created, so no crash loses them. */
    void beforeSave(List<WorkflowEvent> changes) {
        for (int i = 0; i < changes.size(); i++) {
            WorkflowEvent change = changes.get(i);
            if (change instanceof WorkflowEvent.EventAwaited wait) {
                try {
                    delivery.awaiting(wait);
                } catch (RuntimeException e) {
                    log.warn("the wait of instance {} for {}/{} could not be registered before its save: {}", wait.instanceId(),
                            wait.eventName(), wait.eventKey(), e.toString());
                }
            } else if (change instanceof WorkflowEvent.ChildWorkflowRequested request) {
                children.requested(request);
            }
        }
    }

    void saved(WorkflowInstance instance) {
        if (!instance.isFinished()) return;
        children.saved(instance);
        if (!instance.pointers().isEmpty()) {
            try {
                delivery.finished(instance);
            } catch (RuntimeException e) {
                log.warn("the waits of finished instance {} could not be removed: {}", instance.id(), e.toString());
            }
            children.orphaned(instance);
        }
    }

    /** Once per runner start, on its timer: delivered events older than {@link #KEEP_DELIVERED} are removed. */
    private void purgeRegularly() {
        ScheduledExecutorService t = timer.get();
        if (t == null || purging.get() == t || !purging.compareAndSet(purging.get(), t)) return;
        try {
            t.scheduleWithFixedDelay(() -> {
                try {
                    long purged = events.purgeDeliveredBefore(clock.instant().minus(KEEP_DELIVERED));
                    if (purged > 0) log.debug("{} delivered events older than {} removed", purged, KEEP_DELIVERED);
                } catch (RuntimeException ex) {
                    log.warn("delivered events could not be purged: {}", ex.toString());
                }
            }, PURGE_EVERY_MINUTES, PURGE_EVERY_MINUTES, TimeUnit.MINUTES);
        } catch (RejectedExecutionException stopping) {
            // the next start schedules it again
        }
    }

    private void publishQuietly(PublishedEvent event) {
        try {
            delivery.publish(event);
        } catch (RuntimeException e) {
            log.warn("event {} ({}/{}) could not be delivered: {}", event.id(), event.name(), event.key(), e.toString());
        }
    }

    private void record(AuditEntry entry) {
        try {
            audit.record(Objects.requireNonNull(entry));
        } catch (RuntimeException e) {
            log.warn("audit log failed to record {}: {}", entry.command(), e.toString());
        }
    }
}
