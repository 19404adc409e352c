package net.reactory.workflow.adapter.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import net.reactory.workflow.adapter.memory.MemoryInstanceStore;
import net.reactory.workflow.application.port.in.InstanceFilter;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/** Acceptance 1 and 8: ten thousand starts through the broker with confirms, all completed, all completed events heard; prints the throughput. */
class AmqpThroughputTest {

    private static final int STARTS = 10_000;

    private String prefix;
    private MemoryInstanceStore store;
    private TestNode node;
    private TestClient client;

    @BeforeEach
    void startNode() throws Exception {
        RabbitBroker.require();
        prefix = RabbitBroker.newPrefix();
        store = new MemoryInstanceStore();
        node = new TestNode(RabbitBroker.config(prefix), store, c -> c, List.of(TestNode.greet()));
        client = new TestClient(prefix);
    }

    @AfterEach
    void stopNode() throws Exception {
        RabbitBroker.closeAll(prefix, node, client);
    }

    @Test
    void givenTenThousandStartsPublishedWithConfirms_whenConsumed_thenAllCompleteAndTenThousandCompletedEventsArrive() throws Exception {
        Queue<TestClient.Received> completed = client.collect("completed", prefix + ".demo.Greet.completed");
        List<TestClient.Message> starts = new ArrayList<>(STARTS);
        for (int i = 0; i < STARTS; i++) {
            starts.add(TestClient.Message.command("startWorkflow", "{\"id\":\"demo.Greet\",\"version\":\"1.0.0\",\"data\":{\"name\":\"n" + i + "\"}}", "start-" + i));
        }

        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        client.sendAll(starts);
        long published = System.nanoTime();
        await().atMost(Duration.ofSeconds(120)).until(() -> distinctInstances(completed).size() >= STARTS);
        long done = System.nanoTime();
        double cpuMsPerStart = (os.getProcessCpuTime() - cpu0) / 1e6 / STARTS;

        List<WorkflowInstance> all = store.query(InstanceFilter.all(STARTS * 2));
        assertThat(all).hasSize(STARTS).allSatisfy(i -> assertThat(i.status()).isEqualTo(WorkflowStatus.COMPLETE));
        assertThat(all.stream().map(WorkflowInstance::reference).collect(Collectors.toSet())).hasSize(STARTS);
        assertThat(distinctInstances(completed)).isEqualTo(all.stream().map(WorkflowInstance::id).collect(Collectors.toSet()));
        assertThat(node.commands.settlementFrames()).as("commands acknowledged in batches, not one ack each")
                .isPositive().isLessThan(STARTS / 2);
        double publishMs = (published - t0) / 1e6;
        double totalMs = (done - t0) / 1e6;
        System.out.printf("AMQP throughput: %d startWorkflow commands published with confirms in %.0f ms (%.0f/s); "
                        + "all %d completed and their completed events received %.0f ms after the first publish (%.0f starts/s end to end, prefetch %d, %d cores; test JVM CPU %.2f ms per start, runner and client together; %d ack frames)%n",
                STARTS, publishMs, STARTS / publishMs * 1000, STARTS, totalMs, STARTS / totalMs * 1000, node.connector.config().prefetch(),
                Runtime.getRuntime().availableProcessors(), cpuMsPerStart, node.commands.settlementFrames());
    }

    private static Set<String> distinctInstances(Queue<TestClient.Received> received) {
        return received.stream().map(r -> String.valueOf(r.header("x-workflow-instance"))).collect(Collectors.toSet());
    }
}
