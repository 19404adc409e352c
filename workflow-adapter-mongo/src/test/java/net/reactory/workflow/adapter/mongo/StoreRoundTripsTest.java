package net.reactory.workflow.adapter.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import com.mongodb.reactivestreams.client.MongoClient;

import net.reactory.workflow.adapter.mongo.ThreeSteps.Counts;
import net.reactory.workflow.application.service.RunnerConfig;
import net.reactory.workflow.application.service.WorkflowRunnerService;

/**
 * Acceptance 7: store round trips per three-step workflow, counted by a driver command listener, for each
 * durability mode; the figures go to docs/benchmarks.md. Counted: every command the store sends (creates, saves,
 * the poller's queries, the outbox's bulk acknowledgements), none of the driver's own handshakes.
 */
class StoreRoundTripsTest {

    private static final int WORKFLOWS = 1_000;
    private static final Set<String> HANDSHAKES = Set.of("hello", "isMaster", "ismaster", "endSessions", "buildInfo", "saslStart", "saslContinue");

    private final ThreeSteps flow = new ThreeSteps();
    private final Map<String, AtomicLong> commands = new ConcurrentHashMap<>();
    private MongoClient client;

    @AfterEach
    void tearDown() {
        flow.stopAll();
        if (client != null) client.close();
    }

    @ParameterizedTest
    @EnumSource(RunnerConfig.Durability.class)
    void givenDurabilityMode_whenThousandThreeStepWorkflowsRun_thenRoundTripsPerWorkflowAsDesigned(RunnerConfig.Durability mode) {
        client = TestMongo.newClient(new CommandListener() {
            @Override
            public void commandStarted(CommandStartedEvent event) {
                if (!HANDSHAKES.contains(event.getCommandName())) commands.computeIfAbsent(event.getCommandName(), n -> new AtomicLong()).incrementAndGet();
            }
        });
        MongoInstanceStore store = new MongoInstanceStore(client.getDatabase(TestMongo.freshName())).createIndexes();
        MongoOutbox outbox = new MongoOutbox(store, flow.completions());
        WorkflowRunnerService runner = flow.runner(store, RunnerConfig.defaults().withNodeId("counted").withDurability(mode),
                flow.countingB(), outbox.publisher());
        commands.clear();

        Semaphore running = new Semaphore(256);
        flow.onCompleted(running::release);
        long began = System.nanoTime();
        List<CompletableFuture<String>> started = new ArrayList<>();
        for (int i = 0; i < WORKFLOWS; i++) {
            running.acquireUninterruptibly();
            started.add(runner.startWorkflow(ThreeSteps.ID, "1.0.0", Counts.zero(false)));
        }
        started.forEach(CompletableFuture::join);
        await().atMost(2, TimeUnit.MINUTES).pollInterval(Duration.ofMillis(100)).until(() -> flow.completed.size() >= WORKFLOWS);
        long millis = Duration.ofNanos(System.nanoTime() - began).toMillis();
        outbox.flushAcknowledged(Duration.ZERO);

        Map<String, Long> byCommand = new TreeMap<>();
        commands.forEach((name, n) -> byCommand.put(name, n.get()));
        long total = byCommand.values().stream().mapToLong(Long::longValue).sum();
        double perWorkflow = (double) total / WORKFLOWS;
        System.out.printf("round trips, %s: %.2f per three-step workflow (%d commands for %d workflows: %s) in %d ms%n",
                mode, perWorkflow, total, WORKFLOWS, byCommand, millis);
        double designed = mode == RunnerConfig.Durability.PER_STEP ? 4 : 2; // one insert, then one update per step or per burst
        assertThat(byCommand.get("insert")).isEqualTo(WORKFLOWS);
        assertThat(perWorkflow).isBetween(designed, designed + 0.25);
    }
}
