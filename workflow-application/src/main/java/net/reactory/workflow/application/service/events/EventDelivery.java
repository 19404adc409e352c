package net.reactory.workflow.application.service.events;

import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import net.reactory.workflow.application.port.in.LogSafe;
import net.reactory.workflow.application.port.out.EventStore;
import net.reactory.workflow.application.port.out.EventSubscription;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.port.out.PublishedEvent;
import net.reactory.workflow.application.service.definition.DefinitionRegistry;
import net.reactory.workflow.application.service.run.LocalRuns;
import net.reactory.workflow.application.service.run.RunnerThreads;
import net.reactory.workflow.application.service.run.TransitionEffects;
import net.reactory.workflow.domain.instance.ReceivedEvent;
import net.reactory.workflow.domain.execution.Transition;
import net.reactory.workflow.domain.definition.WorkflowDefinition;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.execution.WorkflowTransitions;

/**
 * Matches external events with waiting pointers. A wait is consumed by one event and a pending event by
 * one wait, each through a single atomic operation of the {@link EventStore}, so several nodes can deliver at
 * once and an event published twice (same id) resumes once. Resuming is a compare-and-set transition on the
 * instance, which is then run at once on this node: no poll between an event and the step that waited for it.
 */
public final class EventDelivery {

    private static final Logger log = LoggerFactory.getLogger(EventDelivery.class);
    private static final int SAVE_ATTEMPTS = 32;
    private static final int WAKE_ATTEMPTS = 100;
    private static final long WAKE_RETRY_MILLIS = 10;

    private final EventStore events;
    private final InstanceStore store;
    private final DefinitionRegistry registry;
    private final InstantSource clock;
    private final LocalRuns runs;
    private final RunnerThreads threads;
    private final TransitionEffects effects;

    public EventDelivery(EventStore events, InstanceStore store, DefinitionRegistry registry, InstantSource clock, LocalRuns runs,
                  RunnerThreads threads, TransitionEffects effects) {
        this.events = events;
        this.store = store;
        this.registry = registry;
        this.clock = clock;
        this.runs = runs;
        this.threads = threads;
        this.effects = effects;
    }

    /**
     * Stores the event and resumes every wait that accepts it; without one it stays pending. False for a duplicate id.
     * A duplicate that is still pending is delivered again: the node that stored it may have died before handing it
     * to the waits, and a caller that saw no answer publishes again with the same id.
     *
     * <p>The first instance the event resumes is left in {@code first}, for the publishing thread to run once it has
     * answered its caller; any other starts on a thread of its own (every one of them when {@code first} is null). The
     * caller runs {@code first} whatever happens here.
     */
    public boolean publish(PublishedEvent event, ResumedRun first) {
        boolean fresh = events.append(event);
        if (!fresh && !stillPending(event)) return false;
        boolean delivered = false;
        for (EventSubscription s : events.subscriptionsFor(event.name(), event.key(), event.effectiveAt())) {
            // A wait left behind by an instance that finished meanwhile takes nothing: the event stays for the next wait.
            if (events.removeSubscription(s) && resumeOrWaitAgain(s, event, first)) delivered = true;
        }
        if (delivered) events.markDelivered(event);
        return fresh;
    }

    /**
     * The run of an instance an event resumed, left to the thread that published the event: that thread has answered
     * its caller and is free, so the run goes on there rather than on a thread started for it (in memory, starting that
     * thread was a tenth of a resumption's CPU). Holds one run at most; {@link #run} runs it, once. Made by {@link #resumedRun}.
     */
    public final class ResumedRun {
        private LocalRuns.Reservation reservation;
        private WorkflowInstance leased;

        private ResumedRun() {
        }

        /** Keeps the run if none is kept yet; false when one is (the caller then starts this one on its own thread). */
        boolean keep(LocalRuns.Reservation reservation, WorkflowInstance leased) {
            if (this.reservation != null) return false;
            this.reservation = reservation;
            this.leased = leased;
            return true;
        }

        /** Runs the kept run on this thread, if there is one. */
        public void run() {
            LocalRuns.Reservation kept = reservation;
            if (kept == null) return;
            reservation = null;
            runs.runHere(kept, leased);
        }
    }

    /** A place for the first run {@link #publish} resumes, for the publishing thread. */
    public ResumedRun resumedRun() {
        return new ResumedRun();
    }

    private boolean stillPending(PublishedEvent event) {
        for (PublishedEvent pending : events.pendingEvents(event.name(), event.key(), null)) {
            if (pending.id().equals(event.id())) return true;
        }
        return false;
    }

    /**
     * A pointer is about to wait (its instance not saved yet): the wait is registered first, so a crash after the
     * save cannot leave a waiting pointer nobody will wake. An event meeting it before the save changes nothing
     * (the pointer does not wait yet) and stays pending for {@link #awaited}.
     */
    void awaiting(WorkflowEvent.EventAwaited wait) {
        events.subscribe(subscription(wait));
    }

    /** A pointer began to wait (its instance is saved): registers the wait again if an early event took it, and hands it an event already pending. */
    void awaited(WorkflowEvent.EventAwaited wait) {
        awaited(subscription(wait));
    }

    /** A registered (or lost) wait takes an event already pending for it, if any; registering it again changes nothing. */
    void awaited(EventSubscription s) {
        events.subscribe(s);
        // Each round either ends or loses a race to another deliverer; the bound only guards against a store gone wrong.
        for (int round = 0; round < WAKE_ATTEMPTS; round++) {
            List<PublishedEvent> pending = events.pendingEvents(s.name(), s.key(), s.since());
            if (pending.isEmpty()) return;
            if (!events.removeSubscription(s)) return; // a publisher consumed the wait meanwhile
            for (PublishedEvent e : pending) {
                if (events.markDelivered(e)) {
                    resumeOrWaitAgain(s, e, null);
                    return;
                }
            }
            events.subscribe(s); // every pending event went elsewhere: wait again, and look once more
        }
        log.warn("instance {} waits for {}/{}: pending events kept going elsewhere; the wait stays registered", s.instanceId(),
                LogSafe.of(s.name()), LogSafe.of(s.key()));
    }

    /** A consumed wait whose instance could not be reached (store down) is registered again, not lost. */
    private boolean resumeOrWaitAgain(EventSubscription s, PublishedEvent e, ResumedRun first) {
        try {
            return resume(s, e, first);
        } catch (RuntimeException failed) {
            events.subscribe(s);
            throw failed;
        }
    }

    private static EventSubscription subscription(WorkflowEvent.EventAwaited wait) {
        return new EventSubscription(wait.instanceId(), wait.pointerId(), wait.eventName(), wait.eventKey(), wait.effectiveDate(), wait.at());
    }

    /** An instance finished (terminated, failed) while some of its pointers waited: their waits go. */
    void finished(WorkflowInstance instance) {
        for (var p : instance.pointers()) {
            var w = p.waitingFor();
            if (w != null) events.removeSubscription(new EventSubscription(instance.id(), p.id(), w.name(), w.key(), w.effectiveDate(), instance.updatedAt()));
        }
    }

    /** A waiting pointer was cancelled (its step's cancel condition held): its wait goes. */
    void cancelled(WorkflowEvent.StepCancelled cancelled) {
        var w = cancelled.waitedFor();
        events.removeSubscription(new EventSubscription(cancelled.instanceId(), cancelled.pointerId(), w.name(), w.key(), w.effectiveDate(),
                cancelled.at()));
    }

    /** True when the instance took the event; its run is kept in {@code first} when it may be, else started. */
    private boolean resume(EventSubscription s, PublishedEvent e, ResumedRun first) {
        ReceivedEvent received = new ReceivedEvent(e.id(), e.name(), e.key(), e.data(), e.effectiveAt(), e.traceContext());
        Object definitionKey = "?";
        for (int attempt = 0; attempt < SAVE_ATTEMPTS; attempt++) {
            Optional<WorkflowInstance> loaded = store.load(s.instanceId());
            if (loaded.isEmpty()) return false;
            WorkflowInstance current = loaded.get();
            definitionKey = current.definition();
            WorkflowDefinition definition = registry.find(current.definition());
            if (definition == null) {
                log.warn("event {} for instance {}: this node does not know {}", LogSafe.of(e.id()), current.id(), current.definition());
                events.subscribe(s); // a node that knows the definition may deliver it
                return false;
            }
            Instant now = clock.instant();
            Transition t = WorkflowTransitions.eventReceived(current, definition, s.pointerId(), received, now);
            if (t.changes().isEmpty()) return false;
            if (commitResumed(current, t, now, first)) return true;
        }
        log.warn("event {} could not be handed to instance {} ({}): it kept changing; the wait is registered again", LogSafe.of(e.id()), s.instanceId(),
                definitionKey);
        events.subscribe(s);
        return false;
    }

    /**
     * Saves the resumed instance; false when it changed meanwhile. Like a command, delivery overrides any lease: a
     * run in progress elsewhere fails its next save on the revision and lets go. When the instance can run now and
     * this node is not running it, the save gives it this node's lease and the run starts at once: the save is the claim.
     * The run is kept in {@code first} when that is free (null: never), for the publishing thread; else it starts on a thread of its own.
     */
    private boolean commitResumed(WorkflowInstance current, Transition t, Instant now, ResumedRun first) {
        WorkflowInstance resumed = t.instance();
        try (LocalRuns.Reservation reservation = resumed.isRunnableAt(now) ? runs.reserve(resumed.id()) : null) {
            WorkflowInstance next = resumed.withLease(reservation == null ? null : runs.leaseFrom(now));
            boolean saved;
            try {
                effects.beforeSave(next, t.changes());
                saved = store.save(next, current.revision(), t.changes());
            } catch (RuntimeException unknown) {
                // The write may have landed: hand its lease back rather than leave the instance to a lease nobody runs.
                if (reservation != null) reservation.handBack(next);
                throw unknown;
            }
            if (!saved) return false;
            try {
                effects.afterCommit(next, t.changes());
            } finally {
                if (reservation != null) {
                    LocalRuns.Reservation handedOff = reservation.handOff();
                    if (first == null || !first.keep(handedOff, next)) runs.run(handedOff, next);
                }
            }
            if (reservation == null && next.isRunnableAt(clock.instant())) wake(next.id(), 0);
            return true;
        }
    }

    /** Runs the instance now; while this node is still busy with it (the run that made it wait), tries again shortly. */
    private void wake(String instanceId, int attempt) {
        if (!runs.holds(instanceId)) {
            runs.claimAndRun(instanceId);
            return;
        }
        if (attempt >= WAKE_ATTEMPTS) return; // the poller is the safety net
        threads.schedule(() -> wake(instanceId, attempt + 1), WAKE_RETRY_MILLIS);
    }
}
