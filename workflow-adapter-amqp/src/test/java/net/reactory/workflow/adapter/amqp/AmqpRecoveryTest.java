package net.reactory.workflow.adapter.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import net.reactory.workflow.adapter.memory.MemoryInstanceStore;
import net.reactory.workflow.application.port.in.InstanceFilter;
import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/**
 * Acceptance 4: every connection closed by the broker mid-run, then the broker stopped for ten seconds and
 * started again. Disrupts the shared local broker, and always restores it.
 */
class AmqpRecoveryTest {

    private static final int PER_PHASE = 1500;

    private String prefix;
    private MemoryInstanceStore store;
    private TestNode node;
    private TestClient client;

    @BeforeEach
    void startNode() throws Exception {
        RabbitBroker.requireControl();
        prefix = RabbitBroker.newPrefix();
        store = new MemoryInstanceStore();
        // A little work per step, so commands are still in hand when the broker goes away.
        Workflow slow = Workflow.of("demo", "Slow", "1.0.0", steps -> steps
                .startWith("Work", ctx -> {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
                    return ExecutionResult.next();
                })
                .then("Done", ctx -> ExecutionResult.next()));
        node = new TestNode(RabbitBroker.config(prefix).withPrefetch(50), store, c -> c, List.of(slow));
        client = new TestClient(prefix);
    }

    @AfterEach
    void stopNode() throws Exception {
        RabbitBroker.closeAll(prefix, node, client);
    }

    @Test
    void givenConnectionsClosedAndBrokerStoppedTenSeconds_whenItComesBack_thenNoCommandLostNoStartDuplicatedNoEventLost() throws Exception {
        Queue<TestClient.Received> completed = client.collect("completed", prefix + ".demo.Slow.completed");
        client.sendAll(commands(0, PER_PHASE));
        await().atMost(Duration.ofSeconds(60)).until(() -> node.commands.processed() >= 200);

        RabbitBroker.closeAllConnections();
        client.sendAll(commands(PER_PHASE, 2 * PER_PHASE));
        await().atMost(Duration.ofSeconds(60)).until(() -> started() >= PER_PHASE + 200);

        List<String> startedWhileAway = new ArrayList<>();
        try {
            RabbitBroker.stopApp();
            long stopped = System.nanoTime();
            // The runner keeps executing while the broker is away; its lifecycle events wait.
            for (int i = 0; i < 20; i++) {
                startedWhileAway.add(node.runner.startWorkflow("demo.Slow", null, Map.of("i", i)).get(10, TimeUnit.SECONDS));
            }
            for (String id : startedWhileAway) {
                assertThat(node.runner.awaitFinished(id).get(10, TimeUnit.SECONDS).status()).isEqualTo(WorkflowStatus.COMPLETE);
            }
            assertThat(node.events.pending()).isPositive();
            long awayMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped);
            await("broker away for ten seconds").pollDelay(Duration.ofMillis(Math.max(1, 10_000 - awayMs)))
                    .atMost(Duration.ofSeconds(30)).until(() -> node.events.pending() > 0 && !node.connector.isOpen());
        } finally {
            RabbitBroker.startApp();
            RabbitBroker.awaitAnswering();
        }

        await().atMost(Duration.ofSeconds(90)).until(() -> finishedWithReference() == 2 * PER_PHASE);
        List<WorkflowInstance> all = store.query(InstanceFilter.all(10 * PER_PHASE));
        Map<String, Long> perReference = all.stream().filter(i -> i.reference() != null)
                .collect(Collectors.groupingBy(WorkflowInstance::reference, Collectors.counting()));
        assertThat(perReference).hasSize(2 * PER_PHASE);
        assertThat(perReference.values()).allSatisfy(n -> assertThat(n).isEqualTo(1L));
        assertThat(all).hasSize(2 * PER_PHASE + startedWhileAway.size())
                .allSatisfy(i -> assertThat(i.status()).isEqualTo(WorkflowStatus.COMPLETE));
        Set<String> ids = all.stream().map(WorkflowInstance::id).collect(Collectors.toSet());
        await().atMost(Duration.ofSeconds(60)).until(() -> heard(completed).containsAll(ids));
        assertThat(deadLetterCount()).isZero();
    }

    private List<TestClient.Message> commands(int from, int to) {
        List<TestClient.Message> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(TestClient.Message.command("startWorkflow", "{\"id\":\"demo.Slow\",\"data\":{\"i\":" + i + "}}", "r-" + i));
        }
        return out;
    }

    private long started() {
        return store.query(InstanceFilter.all(10 * PER_PHASE)).size();
    }

    private long finishedWithReference() {
        return store.query(InstanceFilter.byStatus(WorkflowStatus.COMPLETE, 10 * PER_PHASE)).stream().filter(i -> i.reference() != null).count();
    }

    private static Set<String> heard(Queue<TestClient.Received> received) {
        return received.stream().map(r -> String.valueOf(r.header("x-workflow-instance"))).collect(Collectors.toSet());
    }

    private long deadLetterCount() throws Exception {
        try (Connection c = RabbitBroker.factory().newConnection("workflow-test-dlq"); Channel ch = c.createChannel()) {
            return ch.queueDeclarePassive(new AmqpNames(prefix).deadLetters()).getMessageCount();
        }
    }
}
