package net.reactory.workflow.bootstrap.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.Key;
import com.google.inject.name.Names;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import net.reactory.workflow.adapter.amqp.AmqpLifecycleEventPublisher;
import net.reactory.workflow.application.port.out.LifecycleEventPublisher;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;

import net.reactory.workflow.adapter.amqp.AmqpWorkSignal;
import net.reactory.workflow.application.port.out.WorkSignal;
import net.reactory.workflow.bootstrap.LocalBroker;
import net.reactory.workflow.bootstrap.Daemon;
import net.reactory.workflow.bootstrap.Settings;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/** The daemon with WORKFLOW_AMQP_URI set takes the original's start command from the broker and answers on it. */
class AmqpDaemonTest {

    private static final String URI = LocalBroker.URI;

    private String prefix;
    private Connection client;
    private Daemon daemon;

    @BeforeEach
    void connect() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(URI);
        factory.setConnectionTimeout(3000);
        try {
            client = factory.newConnection("workflow-test daemon client");
        } catch (Exception e) {
            LocalBroker.absent("no RabbitMQ at " + URI.replaceAll("//([^:]*):[^@]*@", "//$1:***@") + " (" + e + ")");
        }
        prefix = "test-" + UUID.randomUUID();
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (daemon != null) daemon.stop();
        if (client == null) return;
        try (Channel ch = client.createChannel()) {
            for (String q : List.of(prefix + ".commands", prefix + ".commands.dlq", prefix + ".test.answers")) ch.queueDelete(q);
            ch.exchangeDelete(prefix + ".events");
            ch.exchangeDelete(prefix + ".wakeup");
        }
        client.close();
    }

    @Test
    void givenAmqpUri_whenOriginalStartCommandSent_thenDaemonRunsItAndAnswersWithTheInstanceId() throws Exception {
        daemon = Daemon.create(Settings.fromEnvironment(Map.of("WORKFLOW_AMQP_URI", URI, "WORKFLOW_AMQP_PREFIX", prefix, "WORKFLOW_AMQP_PREFETCH", "16")));
        daemon.start();
        assertThat(daemon.instance(WorkSignal.class)).isInstanceOf(AmqpWorkSignal.class);
        assertThat(daemon.instance(net.reactory.workflow.bootstrap.http.Readiness.class).report().toString())
                .contains("broker-connection").contains("connected to RabbitMQ");
        Channel ch = client.createChannel();
        String answers = prefix + ".test.answers";
        ch.queueDeclare(answers, true, false, false, null);
        ch.queueBind(answers, prefix + ".events", "reactory.workflow.started:daemon-test");
        Queue<JsonNode> received = new ConcurrentLinkedQueue<>();
        ch.basicConsume(answers, true, new DefaultConsumer(ch) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) throws java.io.IOException {
                received.add(new ObjectMapper().readTree(body));
            }
        });

        ch.basicPublish("", prefix + ".commands", new AMQP.BasicProperties.Builder().type("startWorkflow").build(),
                "{\"id\":\"reactory.Startup\",\"version\":\"1.0.0\",\"data\":{\"when\":\"now\"},\"src\":\"daemon-test\"}".getBytes(StandardCharsets.UTF_8));

        await().atMost(Duration.ofSeconds(30)).until(() -> !received.isEmpty());
        String instanceId = received.peek().get("instanceId").asText();
        assertThat(daemon.runner().awaitFinished(instanceId).get().status()).isEqualTo(WorkflowStatus.COMPLETE);
    }

    @Test
    void givenMongoAndAmqp_whenDaemonRuns_thenEventsGoOutWithConfirmsBeforeTheOutboxIsAcknowledged() throws Exception {
        MongoServer mongo = new MongoServer(new MemoryBackend());
        int port = mongo.bind().getPort();
        try {
            daemon = Daemon.create(Settings.fromEnvironment(Map.of("MONGOOSE", "mongodb://127.0.0.1:" + port, "WORKFLOW_MONGO_DB", "both",
                    "WORKFLOW_AMQP_URI", URI, "WORKFLOW_AMQP_PREFIX", prefix)));
            daemon.start();
            LifecycleEventPublisher amqp = daemon.instance(Key.get(LifecycleEventPublisher.class, Names.named("amqp")));
            assertThat(amqp).as("with a store outbox, the broker publisher confirms each call instead of buffering in memory")
                    .isNotInstanceOf(AmqpLifecycleEventPublisher.class);
            Channel ch = client.createChannel();
            String answers = prefix + ".test.answers";
            ch.queueDeclare(answers, true, false, false, null);
            ch.queueBind(answers, prefix + ".events", prefix + ".reactory.Startup.completed");
            Queue<JsonNode> received = new ConcurrentLinkedQueue<>();
            Map<String, Map<String, String>> headers = new java.util.concurrent.ConcurrentHashMap<>();
            ch.basicConsume(answers, true, new DefaultConsumer(ch) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) throws java.io.IOException {
                    received.add(new ObjectMapper().readTree(body));
                    Map<String, String> text = new java.util.HashMap<>();
                    properties.getHeaders().forEach((k, v) -> text.put(k, String.valueOf(v)));
                    headers.put(text.get("x-workflow-instance"), text);
                }
            });

            String id = daemon.runner().startWorkflow("reactory.Startup", null, Map.of("when", "now")).join();
            String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
            String traced = daemon.runner().startWorkflow(net.reactory.workflow.application.port.in.StartRequest.of("reactory.Startup", null,
                    Map.of("when", "now")).withTraceContext(Map.of("traceparent", traceparent, "tracestate", "it=1"))).join();

            assertThat(daemon.runner().awaitFinished(id).get(30, java.util.concurrent.TimeUnit.SECONDS).status()).isEqualTo(WorkflowStatus.COMPLETE);
            await().atMost(Duration.ofSeconds(30)).until(() -> received.stream().anyMatch(m -> m.toString().contains(id)));
            await().atMost(Duration.ofSeconds(30)).until(() -> headers.containsKey(traced));
            assertThat(headers.get(id)).as("an untraced instance's events carry no trace").doesNotContainKey("traceparent");
            assertThat(headers.get(traced)).as("through the outbox publisher, the instance's trace context reaches the headers")
                    .containsEntry("traceparent", traceparent).containsEntry("tracestate", "it=1");
        } finally {
            if (daemon != null) daemon.stop();
            daemon = null;
            mongo.shutdownNow();
        }
    }

    @Test
    void givenWorkflowEventScope_whenAWorkflowRuns_thenOnlyItsWorkflowLevelEventsReachTheBroker() throws Exception {
        daemon = Daemon.create(Settings.fromEnvironment(Map.of("WORKFLOW_AMQP_URI", URI, "WORKFLOW_AMQP_PREFIX", prefix,
                "WORKFLOW_AMQP_EVENTS", "workflow")));
        daemon.start();
        Channel ch = client.createChannel();
        String answers = prefix + ".test.answers";
        ch.queueDeclare(answers, true, false, false, null);
        ch.queueBind(answers, prefix + ".events", prefix + ".#");
        Queue<String> kinds = new ConcurrentLinkedQueue<>();
        ch.basicConsume(answers, true, new DefaultConsumer(ch) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                kinds.add(properties.getHeaders().get("x-workflow-instance") + " " + properties.getType());
            }
        });

        String id = daemon.runner().startWorkflow("reactory.Startup", null, Map.of("when", "now")).join();

        assertThat(daemon.runner().awaitFinished(id).get(30, java.util.concurrent.TimeUnit.SECONDS).status()).isEqualTo(WorkflowStatus.COMPLETE);
        // One publishing channel and one queue keep the order: the step events would have come before the completed one.
        await().atMost(Duration.ofSeconds(30)).until(() -> kinds.contains(id + " completed"));
        assertThat(kinds.stream().filter(k -> k.startsWith(id + " "))).containsExactly(id + " started", id + " completed");
        assertThat(kinds).allMatch(k -> k.endsWith(" started") || k.endsWith(" completed"), "workflow-level events only");
    }

    @Test
    void givenAnUnknownEventScope_whenSettingsAreRead_thenTheErrorNamesTheKeyAndTheAllowedValues() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Settings.fromEnvironment(Map.of("WORKFLOW_AMQP_EVENTS", "steps")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("WORKFLOW_AMQP_EVENTS='steps' is not one of all, workflow");
        assertThat(Settings.fromEnvironment(Map.of()).amqpEvents()).isEqualTo(net.reactory.workflow.adapter.amqp.EventScope.ALL);
    }
}
