package net.reactory.workflow.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

    /** Records what each call was given: the events' kinds and the trace context, "-" for the plain call. */
    private record Recording(List<String> calls) implements LifecycleEventPublisher {
        @Override
        public void publish(List<WorkflowEvent> published) {
            calls.add(published.get(0).kind() + " -");
        }

        @Override
        public void publish(List<WorkflowEvent> published, Map<String, String> traceContext) {
            calls.add(published.get(0).kind() + " " + traceContext.get("traceparent"));
        }
    }

    @Test
    void givenATracedInstancesEvents_whenPublishedOrRelayed_thenEveryAdapterIsGivenTheTraceContextAndTheAcknowledgerTheEvents() {
        List<String> calls = new ArrayList<>();
        Map<String, String> trace = Map.of("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        LifecycleEventPublisher published = OutboxPublishing.acknowledgedAfter(List.of(new Recording(calls)), acknowledger);
        LifecycleEventPublisher relayed = OutboxPublishing.toEach(List.of(new Recording(calls)));

        published.publish(events, trace);
        relayed.publish(events, trace);
        relayed.publish(events);

        assertThat(calls).containsExactly("completed " + trace.get("traceparent"), "completed " + trace.get("traceparent"), "completed -");
        assertThat(acknowledged).containsExactly(events);
    }
}
