package net.reactory.workflow.bootstrap;

import java.util.List;

import com.google.inject.Key;
import com.google.inject.name.Names;

import net.reactory.workflow.application.port.out.LifecycleEventPublisher;

/**
 * How lifecycle events leave a daemon whose store keeps an outbox (MongoDB): the adapters publish first,
 * and the outbox entry is acknowledged only when every one of them returned. An adapter that cannot
 * deliver now (the broker is away) throws, the entry stays in the store, and the outbox relays it later:
 * an event is never acknowledged on the strength of an in-memory buffer that a crash would lose.
 */
public final class OutboxPublishing {

    /** Bound by a store with an outbox; absent otherwise. */
    public static final Key<LifecycleEventPublisher> ACKNOWLEDGER = Key.get(LifecycleEventPublisher.class, Names.named("outbox-acknowledger"));

    private OutboxPublishing() {
    }

    public static LifecycleEventPublisher acknowledgedAfter(List<LifecycleEventPublisher> adapters, LifecycleEventPublisher acknowledger) {
        List<LifecycleEventPublisher> all = List.copyOf(adapters);
        return LifecycleEventPublisher.traced((events, traceContext) -> {
            for (LifecycleEventPublisher adapter : all) LifecycleEventPublisher.publishTo(adapter, events, traceContext);
            acknowledger.publish(events);
        });
    }

    /**
     * The events to every adapter, each given the instance's trace context (the broker writes it into the headers);
     * for the outbox relay, whose entries carry the context of their instance.
     */
    public static LifecycleEventPublisher toEach(List<LifecycleEventPublisher> adapters) {
        List<LifecycleEventPublisher> all = List.copyOf(adapters);
        return LifecycleEventPublisher.traced((events, traceContext) -> {
            for (LifecycleEventPublisher adapter : all) LifecycleEventPublisher.publishTo(adapter, events, traceContext);
        });
    }

}
