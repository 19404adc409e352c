package net.reactory.workflow.adapter.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import net.reactory.workflow.adapter.memory.MemoryInstanceStore;
import net.reactory.workflow.application.port.in.InstanceFilter;
import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/** Acceptance 6: two runner nodes sharing a store and a broker; work started on one is finished by the other once the first stops. */
class AmqpClusterTest {

    private String prefix;
    private final MemoryInstanceStore store = new MemoryInstanceStore();
    private final Map<String, String> finishedBy = new ConcurrentHashMap<>();
    private final List<TestNode> nodes = new ArrayList<>();
    private TestClient client;

    @BeforeEach
    void setUp() throws Exception {
        RabbitBroker.require();
        prefix = RabbitBroker.newPrefix();
        client = new TestClient(prefix);
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            for (TestNode node : nodes) node.close();
        } finally {
            if (client != null) {
                client.close();
                RabbitBroker.deleteTopology(prefix, client.queues());
            }
        }
    }

    /** demo.Handover: Nap sleeps two seconds, then Finish records which node ran it. */
    private Workflow handover(String nodeName) {
        return Workflow.of("demo", "Handover", "1.0.0", steps -> steps
                .startWith("Nap", ctx -> ctx.persistedState() == null ? ExecutionResult.sleep(Duration.ofSeconds(2), "napped") : ExecutionResult.next())
                .then("Finish", ctx -> {
                    finishedBy.put(ctx.instanceId(), nodeName);
                    return ExecutionResult.next();
                }));
    }

    private TestNode node(String name) throws Exception {
        TestNode node = new TestNode(RabbitBroker.config(prefix).withConnectionName("workflow-test node " + name), store,
                c -> c.withNodeId(name + "-" + prefix).withPollInterval(Duration.ofMillis(200)), List.of(handover(name)));
        nodes.add(node);
        return node;
    }

    @Test
    void givenWorkStartedOnFirstNode_whenFirstStops_thenSecondNodeFinishesItAndTakesNewCommands() throws Exception {
        TestNode first = node("first");
        for (int i = 0; i < 5; i++) {
            client.send("startWorkflow", "{\"id\":\"demo.Handover\"}", "h-" + i);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> first.commands.processed() == 5);
        TestNode second = node("second");

        first.close();

        await().atMost(Duration.ofSeconds(30)).until(() -> finishedBy.size() == 5);
        assertThat(finishedBy.values()).containsOnly("second");
        client.send("startWorkflow", "{\"id\":\"demo.Handover\"}", "h-after");
        await().atMost(Duration.ofSeconds(30)).until(() -> finishedBy.size() == 6);
        assertThat(second.commands.processed()).isEqualTo(1);
        assertThat(store.query(InstanceFilter.all(100))).hasSize(6).allSatisfy(i -> assertThat(i.status()).isEqualTo(WorkflowStatus.COMPLETE))
                .extracting(WorkflowInstance::reference).doesNotHaveDuplicates();
    }
}
