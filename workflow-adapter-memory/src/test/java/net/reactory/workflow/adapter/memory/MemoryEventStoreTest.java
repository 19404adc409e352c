package net.reactory.workflow.adapter.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.application.port.out.EventStore;
import net.reactory.workflow.application.port.out.EventStoreContract;
import net.reactory.workflow.application.port.out.PublishedEvent;

class MemoryEventStoreTest extends EventStoreContract {

    @Override
    protected EventStore newStore() {
        return new MemoryEventStore();
    }

    @Test
    void givenRetention_whenDeliveriesMoveTimeOn_thenOldDeliveredIdsAreForgottenAndPendingOnesKept() {
        MemoryEventStore store = new MemoryEventStore(Duration.ofMinutes(10));
        store.append(new PublishedEvent("old", "n", "k", null, T0, T0));
        store.append(new PublishedEvent("waiting", "n", "k", null, T0, T0));
        store.markDelivered("old");

        store.append(new PublishedEvent("later", "n", "k", null, T0, T0.plus(Duration.ofMinutes(11))));
        store.markDelivered("later");

        assertThat(store.append(new PublishedEvent("old", "n", "k", null, T0, T0.plus(Duration.ofMinutes(12)))))
                .as("delivered more than the retention ago: forgotten").isTrue();
        assertThat(store.append(new PublishedEvent("later", "n", "k", null, T0, T0.plus(Duration.ofMinutes(12)))))
                .as("delivered within the retention: still known").isFalse();
        assertThat(store.pendingEvents("n", "k", null)).extracting(PublishedEvent::id).containsExactly("old", "waiting");
    }
}
