package net.reactory.workflow.adapter.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import net.reactory.workflow.domain.definition.DefinitionKey;
import net.reactory.workflow.domain.instance.StepError;
import net.reactory.workflow.domain.instance.WorkflowEvent;

/** Lifecycle events on the topic exchange: routing keys, message ids for de-duplication, the body schema, and the store-outbox mode. */
class AmqpLifecycleEventPublisherTest {

    private static final DefinitionKey ORDER = DefinitionKey.of("shop.eu", "Order", "2.1.0");
    private static final Instant AT = Instant.parse("2026-06-01T12:00:00Z");

    private String prefix;
    private AmqpConnector connector;
    private AmqpLifecycleEventPublisher publisher;
    private TestClient client;

    @BeforeEach
    void connect() throws Exception {
        RabbitBroker.require();
        prefix = RabbitBroker.newPrefix();
        connector = AmqpConnector.connect(RabbitBroker.config(prefix));
        publisher = new AmqpLifecycleEventPublisher(connector);
        client = new TestClient(prefix);
    }

    @AfterEach
    void close() {
        if (publisher != null) publisher.close();
        if (connector != null) connector.close();
        if (client != null) {
            client.close();
            RabbitBroker.deleteTopology(prefix, client.queues());
        }
    }

    @Test
    void givenEventsOfEveryKind_whenPublished_thenEachArrivesUnderItsRoutingKeyWithItsEventIdAsMessageId() throws Exception {
        Queue<TestClient.Received> all = client.collect("all", prefix + ".#");
        StepError error = new StepError("Pay", "java.io.IOException", "card declined", 3, AT);
        List<WorkflowEvent> events = List.of(
                new WorkflowEvent.WorkflowStarted("i-1", ORDER, 1, AT, "ref-1"),
                new WorkflowEvent.StepCompleted("i-1", ORDER, 2, AT, "Pay", 0),
                new WorkflowEvent.WorkflowSuspended("i-1", ORDER, 3, AT, "ops"),
                new WorkflowEvent.WorkflowResumed("i-1", ORDER, 4, AT),
                new WorkflowEvent.WorkflowFailed("i-1", ORDER, 5, AT, error),
                new WorkflowEvent.WorkflowTerminated("i-2", ORDER, 2, AT, "cancelled"),
                new WorkflowEvent.WorkflowCompleted("i-3", ORDER, 7, AT));

        publisher.publish(events);

        await().atMost(Duration.ofSeconds(10)).until(() -> all.size() == events.size());
        assertThat(all.stream().map(TestClient.Received::routingKey).collect(Collectors.toList())).containsExactlyInAnyOrder(
                prefix + ".shop.eu.Order.started", prefix + ".shop.eu.Order.step.completed", prefix + ".shop.eu.Order.suspended",
                prefix + ".shop.eu.Order.resumed", prefix + ".shop.eu.Order.failed", prefix + ".shop.eu.Order.terminated",
                prefix + ".shop.eu.Order.completed");
        assertThat(all.stream().map(r -> r.props().getMessageId()).collect(Collectors.toSet()))
                .isEqualTo(events.stream().map(WorkflowEvent::eventId).collect(Collectors.toSet()));
        TestClient.Received failed = all.stream().filter(r -> r.routingKey().endsWith(".failed")).findFirst().orElseThrow();
        assertThat(failed.json().get("error").get("message").asText()).isEqualTo("card declined");
        assertThat(failed.json().get("workflow").asText()).isEqualTo("shop.eu.Order");
        assertThat(failed.json().get("version").asText()).isEqualTo("2.1.0");
        assertThat(failed.props().getDeliveryMode()).isEqualTo(2);
        assertThat(publisher.flush(Duration.ofSeconds(5))).isTrue();
        assertThat(publisher.published()).isEqualTo(events.size());
    }

    @Test
    void givenStoreOutboxMode_whenBrokerConfirms_thenPublishReturnsAndWhenConnectorClosed_thenPublishThrows() throws Exception {
        Queue<TestClient.Received> completed = client.collect("completed", prefix + ".shop.eu.Order.completed");
        var confirming = publisher.confirmingEach(Duration.ofSeconds(5));

        confirming.publish(List.of(new WorkflowEvent.WorkflowCompleted("i-9", ORDER, 3, AT)));

        await().atMost(Duration.ofSeconds(10)).until(() -> completed.size() == 1);
        connector.close();
        assertThatThrownBy(() -> confirming.publish(List.of(new WorkflowEvent.WorkflowCompleted("i-10", ORDER, 3, AT))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("RabbitMQ");
    }

    @Test
    void givenWorkflowScope_whenEventsOfEveryKindArePublished_thenOnlyTheWorkflowLevelOnesReachTheBroker() throws Exception {
        publisher.close();
        connector.close();
        connector = AmqpConnector.connect(RabbitBroker.config(prefix).withEvents(EventScope.WORKFLOW));
        publisher = new AmqpLifecycleEventPublisher(connector);
        Queue<TestClient.Received> all = client.collect("workflow-only", prefix + ".#");
        StepError error = new StepError("Pay", "java.io.IOException", "card declined", 1, AT);
        // The step events go first: one channel and one queue keep the order, so once the last workflow event is in,
        // any step event published would be in too.
        List<WorkflowEvent> stepLevel = List.of(
                new WorkflowEvent.StepCompleted("i-1", ORDER, 2, AT, "Pay", 0),
                new WorkflowEvent.StepFailed("i-1", ORDER, 3, AT, error),
                new WorkflowEvent.RetryScheduled("i-1", ORDER, 4, AT, "Pay", 2, AT.plusSeconds(1)),
                new WorkflowEvent.EventAwaited("i-1", ORDER, 5, AT, "Wait", 1, "paid", "k-1", AT));
        List<WorkflowEvent> workflowLevel = List.of(
                new WorkflowEvent.WorkflowStarted("i-1", ORDER, 1, AT, "ref-1"),
                new WorkflowEvent.WorkflowSuspended("i-1", ORDER, 6, AT, "ops"),
                new WorkflowEvent.WorkflowResumed("i-1", ORDER, 7, AT),
                new WorkflowEvent.WorkflowFailed("i-1", ORDER, 8, AT, error),
                new WorkflowEvent.WorkflowTerminated("i-2", ORDER, 2, AT, "cancelled"),
                new WorkflowEvent.WorkflowCompleted("i-3", ORDER, 7, AT));

        publisher.publish(stepLevel);
        publisher.publish(workflowLevel);
        publisher.confirmingEach(Duration.ofSeconds(5)).publish(stepLevel);

        assertThat(publisher.flush(Duration.ofSeconds(10))).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> all.size() >= workflowLevel.size());
        assertThat(all.stream().map(r -> r.props().getMessageId()).collect(Collectors.toList()))
                .containsExactlyInAnyOrderElementsOf(workflowLevel.stream().map(WorkflowEvent::eventId).toList());
        assertThat(publisher.published()).isEqualTo(workflowLevel.size());
    }

    @Test
    void givenAnUnknownScopeWord_whenParsed_thenTheErrorNamesItAndTheAllowedWords() {
        assertThat(EventScope.parse(" Workflow ")).isEqualTo(EventScope.WORKFLOW);
        assertThat(EventScope.parse("ALL")).isEqualTo(EventScope.ALL);
        assertThatThrownBy(() -> EventScope.parse("steps")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'steps'").hasMessageContaining("all, workflow");
    }
}
