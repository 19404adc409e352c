package net.reactory.workflow.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.application.port.out.LifecycleEventPublisher;
import net.reactory.workflow.domain.definition.DefinitionKey;
import net.reactory.workflow.domain.instance.WorkflowEvent;

class OutboxPublishingTest {

    private final List<WorkflowEvent> events = List.of(
            new WorkflowEvent.WorkflowCompleted("i1", DefinitionKey.parse("demo.Greet@1.0.0"), 3, Instant.EPOCH));
    private final List<List<WorkflowEvent>> acknowledged = new ArrayList<>();
    private final LifecycleEventPublisher acknowledger = acknowledged::add;

    @Test
    void givenEveryAdapterDelivers_whenPublished_thenTheOutboxEntryIsAcknowledgedAfterThem() {
        List<String> order = new ArrayList<>();
        LifecycleEventPublisher publisher = OutboxPublishing.acknowledgedAfter(
                List.of(e -> order.add("broker"), e -> order.add("listeners")), e -> order.add("acknowledged"));

        publisher.publish(events);

        assertThat(order).containsExactly("broker", "listeners", "acknowledged");
    }

    @Test
    void givenBrokerAway_whenPublished_thenNothingIsAcknowledgedAndTheStoreKeepsTheEventsForTheRelay() {
        LifecycleEventPublisher brokerAway = e -> {
            throw new IllegalStateException("broker unreachable");
        };
        LifecycleEventPublisher publisher = OutboxPublishing.acknowledgedAfter(List.of(brokerAway), acknowledger);

        assertThatThrownBy(() -> publisher.publish(events)).hasMessageContaining("broker unreachable");

        assertThat(acknowledged).isEmpty();
    }
}
