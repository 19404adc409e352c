package net.reactory.workflow.bootstrap.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import net.reactory.workflow.adapter.amqp.AmqpConfig;
import net.reactory.workflow.adapter.amqp.AmqpConnector;
import net.reactory.workflow.adapter.amqp.AmqpLifecycleEventPublisher;
import net.reactory.workflow.adapter.mongo.MongoInstanceStore;
import net.reactory.workflow.adapter.mongo.MongoOutbox;
import net.reactory.workflow.application.port.out.TestInstances;
import net.reactory.workflow.bootstrap.LocalBroker;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/**
 * The MongoDB outbox and RabbitMQ, as the daemon joins them (the relay and the runner's publisher both hand the
 * broker's confirming publisher the events): a traced instance's lifecycle messages carry its {@code traceparent} and
 * {@code tracestate} whether the runner published them or the relay did after the runner died.
 */
class OutboxTraceHeadersTest {

    private static final Map<String, String> TRACE = Map.of(
            "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "tracestate", "vendor=1");

    private MongoServer mongo;
    private MongoClient client;
    private MongoInstanceStore store;
    private AmqpConnector connector;
    private AmqpLifecycleEventPublisher broker;
    private MongoOutbox outbox;
    private Connection consumer;
    private String prefix;
    private final Queue<AMQP.BasicProperties> received = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void setUp() throws Exception {
        LocalBroker.require(LocalBroker.URI);
        prefix = "outbox-trace-" + UUID.randomUUID().toString().substring(0, 8);
        connector = AmqpConnector.connect(AmqpConfig.of(LocalBroker.URI).withPrefix(prefix));
        connector.declareTopology();
        broker = new AmqpLifecycleEventPublisher(connector);
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(LocalBroker.URI);
        consumer = factory.newConnection("outbox-trace-test");
        Channel channel = consumer.createChannel();
        String queue = channel.queueDeclare("", false, true, true, null).getQueue();
        channel.queueBind(queue, prefix + ".events", prefix + ".#");
        channel.basicConsume(queue, true, (tag, delivery) -> received.add(delivery.getProperties()), tag -> { });

        mongo = new MongoServer(new MemoryBackend());
        InetSocketAddress address = mongo.bind();
        client = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString("mongodb://127.0.0.1:" + address.getPort()))
                .applyToClusterSettings(c -> c.serverSelectionTimeout(5, TimeUnit.SECONDS)).build());
        store = new MongoInstanceStore(client.getDatabase("outbox-trace")).createIndexes();
        outbox = new MongoOutbox(store, broker.confirmingEach(Duration.ofSeconds(5)));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (outbox != null) outbox.close();
        if (broker != null) broker.close();
        if (consumer != null) {
            try (Channel channel = consumer.createChannel()) {
                channel.exchangeDelete(prefix + ".events");
                channel.exchangeDelete(prefix + ".wakeup");
                channel.queueDelete(prefix + ".commands");
                channel.queueDelete(prefix + ".commands.dlq");
            }
            consumer.close();
        }
        if (connector != null) connector.close();
        if (client != null) client.close();
        if (mongo != null) mongo.shutdownNow();
    }

    /** A traced instance created with its start's events, then one save: two outbox entries nobody acknowledged. */
    private WorkflowInstance savedUnpublished(Map<String, String> traceContext) {
        WorkflowInstance created = TestInstances.runnable(Instant.now()).withTraceContext(traceContext);
        store.create(created, List.of(new WorkflowEvent.WorkflowStarted(created.id(), created.definition(), created.revision(),
                Instant.parse("2026-06-01T12:00:00Z"), null)));
        WorkflowInstance next = TestInstances.advanced(created, Map.of("n", 2)).withTraceContext(traceContext);
        assertThat(store.save(next, created.revision(), List.of(new WorkflowEvent.StepCompleted(next.id(), next.definition(),
                next.revision(), Instant.parse("2026-06-01T12:00:01Z"), "A", 0)))).isTrue();
        return next;
    }

    private List<AMQP.BasicProperties> messagesOf(String instanceId, int count) {
        await().atMost(Duration.ofSeconds(10)).until(() -> received.stream()
                .filter(p -> instanceId.equals(String.valueOf(p.getHeaders().get("x-workflow-instance")))).count() >= count);
        return received.stream().filter(p -> instanceId.equals(String.valueOf(p.getHeaders().get("x-workflow-instance")))).toList();
    }

    private static Map<String, String> traceHeaders(AMQP.BasicProperties properties) {
        Map<String, Object> headers = properties.getHeaders();
        return Map.of("traceparent", String.valueOf(headers.get("traceparent")), "tracestate", String.valueOf(headers.get("tracestate")));
    }

    @Test
    void givenATracedInstancesEventsLeftInTheOutbox_whenTheRelayPublishesThem_thenTheMessagesCarryTheInstancesTraceContext() {
        WorkflowInstance instance = savedUnpublished(TRACE);
        // The runner died here: nobody published or acknowledged the two entries.

        assertThat(outbox.relayOnce(Duration.ZERO)).isEqualTo(2);

        List<AMQP.BasicProperties> relayed = messagesOf(instance.id(), 2);
        assertThat(relayed).extracting(AMQP.BasicProperties::getType).containsExactlyInAnyOrder("started", "step.completed");
        assertThat(relayed).allSatisfy(p -> assertThat(traceHeaders(p)).isEqualTo(TRACE));
    }

    @Test
    void givenTheSameTracedEvents_whenOnePublishedByTheRunnerAndOneByTheRelay_thenBothCarryTheSameTraceHeaders() {
        WorkflowInstance direct = savedUnpublished(TRACE);
        outbox.publisher().publish(List.of(new WorkflowEvent.WorkflowCompleted(direct.id(), direct.definition(), direct.revision(),
                Instant.parse("2026-06-01T12:00:02Z"))), direct.traceContext());
        WorkflowInstance relayed = savedUnpublished(TRACE);
        outbox.relayOnce(Duration.ZERO);

        AMQP.BasicProperties published = messagesOf(direct.id(), 1).stream().filter(p -> "completed".equals(p.getType())).findFirst().orElseThrow();
        AMQP.BasicProperties fromRelay = messagesOf(relayed.id(), 2).get(0);
        assertThat(traceHeaders(published)).isEqualTo(TRACE);
        assertThat(traceHeaders(fromRelay)).isEqualTo(traceHeaders(published));
    }

    @Test
    void givenAnUntracedInstance_whenTheRelayPublishesItsEvents_thenTheMessagesCarryNoTraceHeaders() {
        WorkflowInstance instance = savedUnpublished(Map.of());

        assertThat(outbox.relayOnce(Duration.ZERO)).isEqualTo(2);

        assertThat(messagesOf(instance.id(), 2)).allSatisfy(p -> assertThat(p.getHeaders()).doesNotContainKeys("traceparent", "tracestate"));
    }
}
