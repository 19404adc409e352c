package net.reactory.workflow.bootstrap.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import net.reactory.workflow.bootstrap.http.DaemonProcess;
import net.reactory.workflow.bootstrap.plugins.TestPlugins;
import net.reactory.workflow.bootstrap.tracing.OtlpReceiver.ReceivedSpan;

/**
 * Issue 17's acceptance: the daemon exports OTLP to a receiver this test runs on loopback. One trace from the HTTP
 * request that started a workflow to its last step, a child workflow nested under the step that asked for it, the
 * event published through RabbitMQ linked from the step it resumed; and a step run by a second daemon on the same
 * MongoDB, after the first was killed, continuing the same trace.
 */
class TracingProcessIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";
    private static final String PUBLISHER_TRACE = "0af7651916cd43dd8448eb211c80319c";
    private static final String PUBLISHER_SPAN = "b7ad6b7169203331";

    /** {@code trace.Parent}: waits for {@code go}/{@code data.key}, asks for {@code trace.Child}, then Last. {@code trace.Handover}: First, a nap, After. */
    private static final String PLUGIN = """
            package testplugin;

            import java.time.Duration;
            import java.util.List;
            import java.util.Map;

            import net.reactory.workflow.application.port.in.WorkflowPlugin;
            import net.reactory.workflow.domain.definition.Workflow;
            import net.reactory.workflow.domain.step.ExecutionResult;

            public class TracePlugin implements WorkflowPlugin {
                @Override
                public String name() {
                    return "trace-plugin";
                }

                @Override
                public List<Workflow> workflows() {
                    Workflow parent = Workflow.of("trace", "Parent", "1.0.0", steps -> steps
                            .startWith("Receive", ctx -> ctx.receivedEvent() != null ? ExecutionResult.next()
                                    : ExecutionResult.waitForEvent("go", String.valueOf(((Map<?, ?>) ctx.data()).get("key"))))
                            .then("Spawn", ctx -> ctx.receivedEvent() != null ? ExecutionResult.next()
                                    : ExecutionResult.startChild("trace.Child", null, Map.of()))
                            .then("Last", ctx -> ExecutionResult.next()));
                    Workflow child = Workflow.of("trace", "Child", "1.0.0", steps -> steps
                            .startWith("ChildStep", ctx -> ExecutionResult.next()));
                    Workflow handover = Workflow.of("trace", "Handover", "1.0.0", steps -> steps
                            .startWith("First", ctx -> ExecutionResult.next())
                            .then("Nap", ctx -> ctx.persistedState() == null
                                    ? ExecutionResult.sleep(Duration.ofSeconds(4), "napped") : ExecutionResult.next())
                            .then("After", ctx -> ExecutionResult.next()));
                    return List.of(parent, child, handover);
                }
            }
            """;

    private static Map<String, String> tracedEnv(Path work, OtlpReceiver receiver, String service) throws Exception {
        Path plugins = work.resolve("plugins");
        if (!Files.exists(plugins.resolve("trace-plugin.jar"))) {
            Files.createDirectories(plugins);
            Files.copy(TestPlugins.jar(work, "trace-plugin.jar", "TracePlugin", PLUGIN), plugins.resolve("trace-plugin.jar"));
        }
        Map<String, String> env = new HashMap<>();
        env.put("WORKFLOW_HTTP_PORT", "0");
        env.put("WORKFLOW_PLUGINS_DIR", plugins.toString());
        env.put("OTEL_TRACES_EXPORTER", "otlp");
        env.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
        env.put("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint());
        env.put("OTEL_SERVICE_NAME", service);
        env.put("OTEL_TRACES_SAMPLER", "parentbased_always_on");
        env.put("OTEL_BSP_SCHEDULE_DELAY", "100");
        return env;
    }

    private static DaemonProcess.Reply startWithTraceparent(DaemonProcess daemon, String body) throws Exception {
        return daemon.send(HttpRequest.newBuilder(URI.create(daemon.url() + "/api/v1/instances"))
                .header("Content-Type", "application/json")
                .header("traceparent", "00-" + TRACE + "-" + CALLER_SPAN + "-01")
                .header("tracestate", "it=1")
                .POST(HttpRequest.BodyPublishers.ofString(body)), null);
    }

    private static ReceivedSpan one(OtlpReceiver receiver, String name) {
        List<ReceivedSpan> spans = ours(receiver).stream().filter(s -> s.name().equals(name)).toList();
        assertThat(spans).as("spans named '%s'", name).hasSize(1);
        return spans.get(0);
    }

    /** The spans of this test's workflows: the daemon's own startup workflow traces itself too, in a trace of its own. */
    private static List<ReceivedSpan> ours(OtlpReceiver receiver) {
        return receiver.spans().stream().filter(s -> String.valueOf(s.attribute("workflow.id")).startsWith("trace.")).toList();
    }

    private static void assertStepAttributes(List<ReceivedSpan> steps) {
        assertThat(steps).isNotEmpty().allSatisfy(s -> {
            assertThat(s.attribute("workflow.id")).as(s.name()).startsWith("trace.");
            assertThat(s.attribute("workflow.version")).as(s.name()).isEqualTo("1.0.0");
            assertThat(s.attribute("workflow.instance.id")).as(s.name()).isNotBlank();
            assertThat(s.attribute("workflow.step.name")).as(s.name()).isEqualTo(s.name().substring("step ".length()));
            assertThat(s.attribute("workflow.step.attempt")).as(s.name()).isEqualTo("1");
            assertThat(s.attribute("workflow.step.outcome")).as(s.name()).isNotBlank();
        });
    }

    private static ConnectionFactory rabbit() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(amqpUri());
        factory.setConnectionTimeout(3000);
        return factory;
    }

    private static String amqpUri() {
        return System.getenv().getOrDefault("WORKFLOW_TEST_AMQP_URI", "amqp://guest:guest@127.0.0.1:5672");
    }

    @Test
    void givenAStartOverHttpAndAnEventOverAmqpBothWithTraceparents_whenTheWorkflowRunsAChild_thenOneTraceNestedAndLinked(@TempDir Path work)
            throws Exception {
        Connection connection;
        try {
            connection = rabbit().newConnection("tracing-it");
        } catch (java.io.IOException | java.util.concurrent.TimeoutException e) {
            net.reactory.workflow.bootstrap.LocalBroker.absent("no RabbitMQ at " + amqpUri() + ": " + e);
            return;
        }
        String prefix = "trace-it-" + UUID.randomUUID().toString().substring(0, 8);
        try (OtlpReceiver receiver = new OtlpReceiver(); connection) {
            Map<String, String> env = tracedEnv(work, receiver, "trace-it");
            env.put("WORKFLOW_AMQP_URI", amqpUri());
            env.put("WORKFLOW_AMQP_PREFIX", prefix);
            try (DaemonProcess daemon = DaemonProcess.launch(work, env).awaitReady()) {
                Channel channel = connection.createChannel();
                String lifecycle = channel.queueDeclare("", false, true, true, null).getQueue();
                channel.queueBind(lifecycle, prefix + ".events", prefix + ".trace.Parent.#");
                ConcurrentLinkedQueue<AMQP.BasicProperties> messages = new ConcurrentLinkedQueue<>();
                channel.basicConsume(lifecycle, true, (tag, delivery) -> messages.add(delivery.getProperties()), tag -> { });

                DaemonProcess.Reply started = startWithTraceparent(daemon, "{\"workflow\":\"trace.Parent\",\"data\":{\"key\":\"k-1\"}}");
                assertThat(started.status()).as(started.body()).isEqualTo(201);
                String id = started.json().path("id").asText();
                await().atMost(WAIT).until(() -> receiver.named("step Receive").stream()
                        .anyMatch(s -> "wait".equals(s.attribute("workflow.step.outcome"))));

                Map<String, Object> headers = Map.of("traceparent", "00-" + PUBLISHER_TRACE + "-" + PUBLISHER_SPAN + "-01");
                channel.basicPublish("", prefix + ".commands", new AMQP.BasicProperties.Builder().type("publishEvent")
                        .contentType("application/json").messageId("go-1").headers(headers).build(),
                        "{\"name\":\"go\",\"key\":\"k-1\"}".getBytes(StandardCharsets.UTF_8));

                await().atMost(WAIT).until(() -> ours(receiver).stream().filter(s -> s.name().equals("workflow.end")).count() == 2);
                await().atMost(WAIT).until(() -> messages.stream().anyMatch(p -> "completed".equals(p.getType())));
                assertThat(daemon.get("/api/v1/instances/" + id).json().path("status").asText()).isEqualTo("COMPLETE");

                List<ReceivedSpan> spans = ours(receiver);
                assertThat(spans).allSatisfy(s -> assertThat(s.traceId()).as(s.name()).isEqualTo(TRACE));
                assertThat(spans).allSatisfy(s -> assertThat(s.service()).isEqualTo("trace-it"));
                ReceivedSpan workflow = one(receiver, "workflow trace.Parent");
                assertThat(workflow.parentSpanId()).as("child of the HTTP caller's span").isEqualTo(CALLER_SPAN);
                List<ReceivedSpan> steps = spans.stream().filter(s -> s.name().startsWith("step ")).toList();
                assertThat(steps).extracting(ReceivedSpan::name).contains("step Receive", "step Spawn", "step Last", "step ChildStep");
                assertStepAttributes(steps);

                ReceivedSpan resumed = receiver.named("step Receive").stream().filter(s -> !s.links().isEmpty()).findFirst().orElseThrow();
                assertThat(resumed.links()).containsExactly(new OtlpReceiver.Link(PUBLISHER_TRACE, PUBLISHER_SPAN));
                assertThat(resumed.events()).contains("wait.ended");
                assertThat(resumed.parentSpanId()).isEqualTo(workflow.spanId());

                ReceivedSpan asking = receiver.named("step Spawn").stream().filter(s -> "child".equals(s.attribute("workflow.step.outcome")))
                        .findFirst().orElseThrow();
                ReceivedSpan child = one(receiver, "workflow trace.Child");
                assertThat(child.parentSpanId()).as("the child under its parent's step").isEqualTo(asking.spanId());
                assertThat(one(receiver, "step ChildStep").parentSpanId()).isEqualTo(child.spanId());
                assertThat(one(receiver, "step Last").parentSpanId()).isEqualTo(workflow.spanId());

                AMQP.BasicProperties completed = messages.stream().filter(p -> "completed".equals(p.getType())).findFirst().orElseThrow();
                assertThat(String.valueOf(completed.getHeaders().get("traceparent"))).contains(TRACE).contains(workflow.spanId());
                assertThat(daemon.terminate(Duration.ofSeconds(10))).isZero();
            }
        }
    }

    @Test
    void givenTwoDaemonsOnOneMongo_whenTheFirstIsKilledMidWorkflow_thenTheStepTheSecondRunsContinuesTheSameTrace(@TempDir Path work)
            throws Exception {
        MongoServer mongo = new MongoServer(new MemoryBackend());
        InetSocketAddress address = mongo.bind();
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            Map<String, String> a = tracedEnv(work, receiver, "node-a");
            a.put("MONGOOSE", "mongodb://127.0.0.1:" + address.getPort() + "/trace-it");
            a.put("WORKFLOW_PERSISTENCE_FALLBACK", "fail");
            a.put("WORKFLOW_LEASE_DURATION", "PT3S");
            a.put("WORKFLOW_POLL_INTERVAL", "200");
            Map<String, String> b = new HashMap<>(a);
            b.put("OTEL_SERVICE_NAME", "node-b");

            String id;
            try (DaemonProcess first = DaemonProcess.launch(work, a).awaitReady()) {
                DaemonProcess.Reply started = startWithTraceparent(first, "{\"workflow\":\"trace.Handover\"}");
                assertThat(started.status()).as(started.body()).isEqualTo(201);
                id = started.json().path("id").asText();
                await().atMost(WAIT).until(() -> receiver.named("step Nap").stream().anyMatch(s -> "sleep".equals(s.attribute("workflow.step.outcome"))));
                first.process().destroyForcibly().waitFor();
            }
            assertThat(receiver.named("step After")).as("nothing ran the last step before the kill").isEmpty();

            try (DaemonProcess second = DaemonProcess.launch(work, b).awaitReady()) {
                await().atMost(WAIT).until(() -> !receiver.named("step After").isEmpty());
                ReceivedSpan workflow = one(receiver, "workflow trace.Handover");
                ReceivedSpan after = one(receiver, "step After");
                assertThat(workflow.service()).isEqualTo("node-a");
                assertThat(workflow.parentSpanId()).isEqualTo(CALLER_SPAN);
                assertThat(after.service()).isEqualTo("node-b");
                assertThat(after.traceId()).isEqualTo(TRACE);
                assertThat(after.parentSpanId()).as("node b's step under node a's workflow span").isEqualTo(workflow.spanId());
                assertThat(after.attribute("workflow.instance.id")).isEqualTo(id);
                assertStepAttributes(ours(receiver).stream().filter(s -> s.name().startsWith("step ")).toList());
                assertThat(ours(receiver)).allSatisfy(s -> assertThat(s.traceId()).isEqualTo(TRACE));
                assertThat(second.terminate(Duration.ofSeconds(10))).isZero();
            }
        } finally {
            mongo.shutdownNow();
        }
    }
}
