package net.reactory.workflow.adapter.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;

import net.reactory.workflow.adapter.memory.MemoryInstanceStore;
import net.reactory.workflow.application.port.out.CreateResult;
import net.reactory.workflow.application.port.in.InstanceFilter;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.port.out.StoreUnavailableException;
import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/** Commands through the broker against one runner node: the original payload, replies, bad input, idempotent starts. */
class AmqpCommandsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private String prefix;
    private MemoryInstanceStore memory;
    private FlakyStore store;
    private TestNode node;
    private TestClient client;
    private final Queue<String> shipped = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final Queue<net.reactory.workflow.domain.instance.ReceivedEvent> received = new java.util.concurrent.ConcurrentLinkedQueue<>();

    @BeforeEach
    void startNode() throws Exception {
        RabbitBroker.require();
        prefix = RabbitBroker.newPrefix();
        memory = new MemoryInstanceStore();
        store = new FlakyStore(memory);
        Workflow parked = Workflow.of("demo", "Parked", "1.0.0", steps -> steps
                .startWith("Wait", ctx -> ExecutionResult.sleep(Duration.ofHours(1), "slept"))
                .then("Done", ctx -> ExecutionResult.next()));
        Workflow order = Workflow.of("demo", "Order", "1.0.0", steps -> steps
                .startWith("AwaitPayment", ctx -> {
                    if (ctx.receivedEvent() == null) return ExecutionResult.waitForEvent("paid", String.valueOf(((Map<?, ?>) ctx.data()).get("order")));
                    received.add(ctx.receivedEvent());
                    return ExecutionResult.next();
                })
                .then("Ship", ctx -> {
                    shipped.add(ctx.instanceId());
                    return ExecutionResult.next();
                }));
        node = new TestNode(RabbitBroker.config(prefix), store.proxy, c -> c, List.of(TestNode.greet(), parked, order));
        client = new TestClient(prefix);
    }

    @AfterEach
    void stopNode() throws Exception {
        RabbitBroker.closeAll(prefix, node, client);
    }

    @Test
    void givenOriginalStartPayload_whenSentToCommandQueue_thenWorkflowRunsAndStartedAnswerCarriesTheInstanceId() throws Exception {
        Queue<TestClient.Received> answers = client.collect("answers", "reactory.workflow.started:billing");
        Queue<TestClient.Received> completed = client.collect("completed", prefix + ".demo.Greet.completed");
        // Exactly the original's message: type startWorkflow, {id, version, data, src}, no content type, default exchange.
        byte[] original = "{\"id\":\"demo.Greet\",\"version\":\"1.0.0\",\"data\":{\"name\":\"Ada\",\"n\":[1,2.5,true]},\"src\":\"billing\"}"
                .getBytes(StandardCharsets.UTF_8);
        client.send(new TestClient.Message(new AMQP.BasicProperties.Builder().type("startWorkflow").build(), original));

        await().atMost(WAIT).until(() -> !answers.isEmpty());
        TestClient.Received answer = answers.peek();
        JsonNode body = answer.json();
        String instanceId = body.get("instanceId").asText();
        assertThat(answer.routingKey()).isEqualTo("reactory.workflow.started:billing");
        assertThat(body.get("src").asText()).isEqualTo("billing");
        assertThat(body.get("id").asText()).isEqualTo("demo.Greet");
        WorkflowInstance done = node.runner.awaitFinished(instanceId).get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(done.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(done.data()).isEqualTo(Map.of("greeting", "hello Ada", "input", Map.of("name", "Ada", "n", List.of(1, 2.5, true))));
        await().atMost(WAIT).until(() -> completed.stream().anyMatch(m -> instanceId.equals(m.json().get("instanceId").asText())));
        TestClient.Received event = completed.peek();
        assertThat(event.props().getMessageId()).isEqualTo(instanceId + ":" + event.json().get("revision").asLong() + ":completed");
        assertThat(event.props().getType()).isEqualTo("completed");
    }

    @Test
    void givenReplyTo_whenStartSucceedsOrNamesUnknownWorkflow_thenReplyCarriesInstanceIdOrTypedError() throws Exception {
        String replies = client.replyQueue("r1");
        Queue<TestClient.Received> received = client.consume(replies);
        client.send(new TestClient.Message(props("startWorkflow", "m-ok", replies, "c-ok"), bytes("{\"id\":\"demo.Greet\"}")));
        client.send(new TestClient.Message(props("startWorkflow", "m-bad", replies, "c-bad"), bytes("{\"id\":\"demo.Nope\"}")));

        await().atMost(WAIT).until(() -> received.size() == 2);
        Map<String, JsonNode> byCorrelation = received.stream().collect(Collectors.toMap(r -> r.props().getCorrelationId(), TestClient.Received::json));
        assertThat(byCorrelation.get("c-ok").get("ok").asBoolean()).isTrue();
        assertThat(node.runner.getInstance(byCorrelation.get("c-ok").get("instanceId").asText())).isPresent();
        assertThat(byCorrelation.get("c-bad").get("ok").asBoolean()).isFalse();
        assertThat(byCorrelation.get("c-bad").get("error").get("type").asText()).isEqualTo("unknown-workflow");
    }

    @Test
    void givenRunningInstance_whenSuspendResumeTerminateSent_thenAppliedInOrderWithReplies() throws Exception {
        String instanceId = node.runner.startWorkflow("demo.Parked", null, null).get(30, java.util.concurrent.TimeUnit.SECONDS);
        String replies = client.replyQueue("r2");
        Queue<TestClient.Received> received = client.consume(replies);
        client.send(new TestClient.Message(props("suspend", "s1", replies, "1"), bytes("{\"instanceId\":\"" + instanceId + "\",\"reason\":\"ops\"}")));
        client.send(new TestClient.Message(props("resume", "s2", replies, "2"), bytes("{\"instanceId\":\"" + instanceId + "\"}")));
        client.send(new TestClient.Message(props("terminate", "s3", replies, "3"), bytes("{\"instanceId\":\"" + instanceId + "\",\"reason\":\"done\"}")));

        await().atMost(WAIT).until(() -> received.size() == 3);
        Map<String, String> statusByCorrelation = received.stream()
                .collect(Collectors.toMap(r -> r.props().getCorrelationId(), r -> r.json().get("status").asText()));
        assertThat(statusByCorrelation).containsEntry("1", "SUSPENDED").containsEntry("2", "RUNNABLE").containsEntry("3", "TERMINATED");
        assertThat(memory.load(instanceId).orElseThrow().status()).isEqualTo(WorkflowStatus.TERMINATED);
    }

    @Test
    void givenThousandBadAndThousandGoodMixed_whenConsumed_thenGoodProcessedBadDeadLetteredWithReasonAndConsumerAlive() throws Exception {
        Queue<TestClient.Received> dead = client.consume(new AmqpNames(prefix).deadLetters());
        List<Function<Integer, TestClient.Message>> badKinds = List.of(
                i -> TestClient.Message.command("startWorkflow", "{\"id\": \"demo.Greet\", ", "bad-" + i),
                i -> TestClient.Message.command("launchMissiles", "{\"id\":\"demo.Greet\"}", "bad-" + i),
                i -> new TestClient.Message(new AMQP.BasicProperties.Builder().contentType("application/json").messageId("bad-" + i).build(), bytes("{\"id\":\"demo.Greet\"}")),
                i -> TestClient.Message.command("startWorkflow", "{\"version\":\"1.0.0\"}", "bad-" + i),
                i -> TestClient.Message.command("startWorkflow", "{\"id\": 42}", "bad-" + i),
                i -> new TestClient.Message(new AMQP.BasicProperties.Builder().type("startWorkflow").contentType("text/plain").messageId("bad-" + i).build(), bytes("{\"id\":\"demo.Greet\"}")),
                i -> TestClient.Message.command("startWorkflow", "{\"id\":\"demo.Greet\",\"data\":\"" + "x".repeat(1024 * 1024) + "\"}", "bad-" + i),
                i -> TestClient.Message.command("startWorkflow", "{\"id\":\"demo.DoesNotExist\"}", "bad-" + i),
                i -> TestClient.Message.command("startWorkflow", "{\"schemaVersion\":7,\"id\":\"demo.Greet\"}", "bad-" + i),
                i -> TestClient.Message.command("suspend", "{\"instanceId\":[\"x\"]}", "bad-" + i));
        List<String> expectedReasons = List.of("malformed-json", "unknown-type", "unknown-type", "missing-field", "wrong-field-type",
                "wrong-content-type", "oversize-body", "unknown-workflow", "unsupported-schema-version", "wrong-field-type");
        List<TestClient.Message> mixed = new ArrayList<>();
        Map<String, Long> expected = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            int kind = i % badKinds.size();
            // Oversize bodies are a megabyte each: ten of them say enough, the rest of that slot is malformed JSON.
            if (kind == 6 && i >= 100) kind = 0;
            mixed.add(badKinds.get(kind).apply(i));
            expected.merge(expectedReasons.get(kind), 1L, Long::sum);
            mixed.add(TestClient.Message.command("startWorkflow", "{\"id\":\"demo.Greet\",\"data\":{\"name\":\"n" + i + "\"}}", "good-" + i));
        }
        client.sendAll(mixed);

        await().atMost(Duration.ofSeconds(60)).until(() -> dead.size() >= 1000
                && memory.query(InstanceFilter.byStatus(WorkflowStatus.COMPLETE, 5000)).size() >= 1000);
        Map<String, Long> reasons = dead.stream().collect(Collectors.groupingBy(r -> String.valueOf(r.header(AmqpNames.REASON_HEADER)), Collectors.counting()));
        assertThat(reasons).isEqualTo(expected);
        assertThat(dead).allSatisfy(r -> assertThat(r.props().getMessageId()).startsWith("bad-"));
        assertThat(memory.query(InstanceFilter.all(5000))).hasSize(1000)
                .extracting(WorkflowInstance::reference).allSatisfy(ref -> assertThat(ref).startsWith("good-"));
        // Still alive: one more good command goes through.
        client.send("startWorkflow", "{\"id\":\"demo.Greet\"}", "after");
        await().atMost(WAIT).until(() -> memory.query(InstanceFilter.all(5000)).size() == 1001);
    }

    @Test
    void givenSameMessageIdSentTwice_whenConsumed_thenOneInstance() throws Exception {
        client.send("startWorkflow", "{\"id\":\"demo.Greet\"}", "once");
        client.send("startWorkflow", "{\"id\":\"demo.Greet\"}", "once");
        client.send("startWorkflow", "{\"id\":\"demo.Greet\"}", "barrier");

        await().atMost(WAIT).until(() -> node.commands.processed() == 3);
        List<WorkflowInstance> all = memory.query(InstanceFilter.all(100));
        assertThat(all).extracting(WorkflowInstance::reference).containsExactlyInAnyOrder("once", "barrier");
    }

    @Test
    void givenStoreFailsAfterCreating_whenStartIsRedelivered_thenNoSecondInstanceAndItCompletes() throws Exception {
        store.failNextCreateAfterStoring();
        client.send("startWorkflow", "{\"id\":\"demo.Greet\"}", "redelivered");

        await().atMost(WAIT).until(() -> node.commands.processed() == 1);
        assertThat(node.commands.retried()).isEqualTo(1);
        List<WorkflowInstance> all = memory.query(InstanceFilter.all(100));
        assertThat(all).hasSize(1);
        assertThat(all.get(0).reference()).isEqualTo("redelivered");
    }

    @Test
    void givenStoreKeepsFailing_whenStartTried_thenDeadLetteredAfterMaxAttemptsNotRequeuedForever() throws Exception {
        store.failAlways(true);
        Queue<TestClient.Received> dead = client.consume(new AmqpNames(prefix).deadLetters());
        client.send("startWorkflow", "{\"id\":\"demo.Greet\"}", "doomed");

        await().atMost(Duration.ofSeconds(60)).until(() -> dead.size() == 1);
        assertThat(dead.peek().header(AmqpNames.REASON_HEADER)).isEqualTo("retries-exhausted");
        assertThat(node.commands.retried()).isEqualTo(node.connector.config().maxAttempts() - 1);
    }

    @Test
    void givenInstanceWaitingForEvent_whenPublishEventSentTwiceWithOneMessageId_thenItResumesOnceAndCompletes() throws Exception {
        String instanceId = node.runner.startWorkflow("demo.Order", null, Map.of("order", "o-1")).get(30, java.util.concurrent.TimeUnit.SECONDS);
        String replies = client.replyQueue("r3");
        Queue<TestClient.Received> received = client.consume(replies);
        String event = "{\"name\":\"paid\",\"key\":\"o-1\",\"data\":{\"amount\":12}}";
        client.send(new TestClient.Message(props("publishEvent", "pay-1", replies, "e1"), bytes(event)));
        client.send(new TestClient.Message(props("publishEvent", "pay-1", replies, "e2"), bytes(event)));

        await().atMost(WAIT).until(() -> received.size() == 2);
        assertThat(received).allSatisfy(r -> assertThat(r.json().get("ok").asBoolean()).isTrue());
        assertThat(node.runner.awaitFinished(instanceId).get(30, java.util.concurrent.TimeUnit.SECONDS).status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(shipped).containsExactly(instanceId);
    }

    @Test
    void givenTraceparentHeaders_whenStartAndPublishEventSent_thenTheInstanceKeepsTheStartersAndTheStepGetsThePublishersContext()
            throws Exception {
        String starter = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        String publisher = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        Queue<TestClient.Received> completed = client.collect("traced-completed", prefix + ".demo.Order.completed");
        String replies = client.replyQueue("r4");
        Queue<TestClient.Received> answers = client.consume(replies);
        client.send(new TestClient.Message(traced(props("startWorkflow", "t-start", replies, "s"), starter, "congo=t61rcWkgMzE"),
                bytes("{\"id\":\"demo.Order\",\"data\":{\"order\":\"o-7\"}}")));
        await().atMost(WAIT).until(() -> !answers.isEmpty());
        String instanceId = answers.poll().json().get("instanceId").asText();
        assertThat(node.runner.getInstance(instanceId).orElseThrow().traceContext())
                .isEqualTo(Map.of("traceparent", starter, "tracestate", "congo=t61rcWkgMzE"));

        client.send(new TestClient.Message(traced(props("publishEvent", "t-pay", replies, "e"), publisher, null),
                bytes("{\"name\":\"paid\",\"key\":\"o-7\"}")));

        assertThat(node.runner.awaitFinished(instanceId).get(30, java.util.concurrent.TimeUnit.SECONDS).status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(received).singleElement().satisfies(e -> assertThat(e.traceContext()).isEqualTo(Map.of("traceparent", publisher)));
        await().atMost(WAIT).until(() -> completed.stream().anyMatch(m -> instanceId.equals(m.json().get("instanceId").asText())));
        assertThat(completed.peek().header("traceparent")).isEqualTo(starter);
    }

    @Test
    void givenMalformedTraceparentHeader_whenStartSent_thenItStartsUntraced() throws Exception {
        String replies = client.replyQueue("r5");
        Queue<TestClient.Received> answers = client.consume(replies);
        client.send(new TestClient.Message(traced(props("startWorkflow", "t-bad", replies, "b"), "00-not-a-trace-01", null),
                bytes("{\"id\":\"demo.Greet\"}")));

        await().atMost(WAIT).until(() -> !answers.isEmpty());
        TestClient.Received answer = answers.poll();
        assertThat(answer.json().get("ok").asBoolean()).isTrue();
        assertThat(node.runner.getInstance(answer.json().get("instanceId").asText()).orElseThrow().traceContext()).isEmpty();
    }

    private static AMQP.BasicProperties traced(AMQP.BasicProperties props, String traceparent, String tracestate) {
        Map<String, Object> headers = new java.util.HashMap<>();
        headers.put("traceparent", traceparent);
        if (tracestate != null) headers.put("tracestate", tracestate);
        return props.builder().headers(headers).build();
    }

    @Test
    void givenPublishEventWithBadEffectiveAt_whenConsumed_thenDeadLetteredAsInvalidField() throws Exception {
        Queue<TestClient.Received> dead = client.consume(new AmqpNames(prefix).deadLetters());
        client.send("publishEvent", "{\"name\":\"paid\",\"key\":\"o-9\",\"effectiveAt\":\"yesterday\"}", "ev-bad");

        await().atMost(WAIT).until(() -> dead.size() == 1);
        assertThat(dead.peek().header(AmqpNames.REASON_HEADER)).isEqualTo("invalid-field");
    }

    private static AMQP.BasicProperties props(String type, String messageId, String replyTo, String correlationId) {
        return new AMQP.BasicProperties.Builder().type(type).contentType("application/json").messageId(messageId)
                .replyTo(replyTo).correlationId(correlationId).build();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The memory store, with failures of create on demand; a proxy, so methods added to the port need no change here. */
    static final class FlakyStore {
        private volatile boolean failAfterStoring;
        private volatile boolean failAlways;
        final InstanceStore proxy;

        FlakyStore(InstanceStore delegate) {
            proxy = (InstanceStore) Proxy.newProxyInstance(InstanceStore.class.getClassLoader(), new Class<?>[] {InstanceStore.class},
                    (self, method, args) -> {
                        boolean create = method.getName().equals("create");
                        if (create && failAlways) throw new StoreUnavailableException("store is away (test)", null);
                        Object result;
                        try {
                            result = method.invoke(delegate, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                        if (create && result instanceof CreateResult && failAfterStoring) {
                            failAfterStoring = false;
                            throw new StoreUnavailableException("the answer was lost after the write (test)", null);
                        }
                        return result;
                    });
        }

        void failNextCreateAfterStoring() {
            failAfterStoring = true;
        }

        void failAlways(boolean fail) {
            failAlways = fail;
        }
    }
}
