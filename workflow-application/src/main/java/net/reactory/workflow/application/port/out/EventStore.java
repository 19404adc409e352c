package net.reactory.workflow.application.port.out;

import java.time.Instant;
import java.util.List;

/**
 * External events and the waits for them. Delivery is decided by two single-record atomic
 * operations, so several runner nodes can share one store without transactions: a waiting
 * subscription is consumed by exactly one {@link #removeSubscription} and a pending event by exactly
 * one {@link #markDelivered}. An event that no wait matches stays pending until one does, so an event
 * published before the wait began is still delivered. Calls block; the runner makes them from virtual threads.
 */
public interface EventStore {

    /**
     * Stores an event unless one with the same id is stored already.
     *
     * @return true when stored by this call; false for a duplicate id (nothing changed)
     */
    boolean append(PublishedEvent event);

    /**
     * Registers a wait, replacing the one stored under the same {@link EventSubscription#id() id} (same instance and
     * pointer), whatever it waited for: a step that runs again after a crash may compute another name, key or time,
     * and the pointer then waits for what it computed last. Subscribing twice with equal subscriptions changes nothing.
     */
    void subscribe(EventSubscription subscription);

    /** The waits on {@code name}/{@code key} that accept an event effective at {@code effectiveAt}, oldest first. */
    List<EventSubscription> subscriptionsFor(String name, String key, Instant effectiveAt);

    /**
     * Events on {@code name}/{@code key} not delivered yet, effective at or after {@code since} (any when null),
     * in order of effective time, then id.
     */
    List<PublishedEvent> pendingEvents(String name, String key, Instant since);

    /**
     * Consumes the wait with this subscription's {@link EventSubscription#id() id} while it is registered on the
     * subscription's name and key: true for exactly one caller; false when it was consumed, never stored, or replaced
     * by a wait on another name or key (a deliverer holding the old registration then takes nothing).
     */
    boolean removeSubscription(EventSubscription subscription);

    /** Consumes a pending event: true for exactly one caller, false when already delivered or unknown. */
    boolean markDelivered(String eventId);

    /**
     * As {@link #markDelivered(String)} for an event the caller appended or read from this store: a store may find it
     * by its name and key where it is pending, without looking its id up (the memory store's delivery path).
     */
    default boolean markDelivered(PublishedEvent event) {
        return markDelivered(event.id());
    }

    /**
     * Removes delivered events published before {@code cutoff}; returns how many. Their ids may then be used again.
     * Until then a delivered event's id is remembered (publishing it again changes nothing); stores may drop the
     * rest of a delivered event, which lives on in the instance that received it.
     */
    long purgeDeliveredBefore(Instant cutoff);
}
