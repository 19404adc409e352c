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
 * the poller's queries, the outbox's bulk acknowledgements), none of the driver's own handshakes; and the writes
 * those commands carry (each insert and update statement).
 * <p>
 * The writes are as designed: one insert, then one update per step (per-step) or per burst, and the outbox's drop of
 * the last transition's entry (the earlier entries go in the next save's own update). Since group commit
 * (issue 13) many writes share one command, so commands per workflow fall far below writes per workflow: with 256
 * instances in flight, a bulk write carries tens of writes (under 0.5 commands per workflow per-step, 0.25 burst).
 */
class StoreRoundTripsTest {

    private static final int WORKFLOWS = 1_000;
    private static final Set<String> HANDSHAKES = Set.of("hello", "isMaster", "ismaster", "endSessions", "buildInfo", "saslStart", "saslContinue");

    private final ThreeSteps flow = new ThreeSteps();
    private final Map<String, AtomicLong> commands = new ConcurrentHashMap<>();
    private final AtomicLong writes = new AtomicLong();
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
                if (HANDSHAKES.contains(event.getCommandName())) return;
                commands.computeIfAbsent(event.getCommandName(), n -> new AtomicLong()).incrementAndGet();
                String statements = switch (event.getCommandName()) {
                    case "insert" -> "documents";
                    case "update" -> "updates";
                    default -> null;
                };
                if (statements != null) writes.addAndGet(event.getCommand().getArray(statements).size());
            }
        });
        MongoInstanceStore store = new MongoInstanceStore(client.getDatabase(TestMongo.freshName())).createIndexes();
        MongoOutbox outbox = new MongoOutbox(store, flow.completions());
        WorkflowRunnerService runner = flow.runner(store, RunnerConfig.defaults().withNodeId("counted").withDurability(mode),
                flow.countingB(), outbox.publisher());
        commands.clear();
        writes.set(0);

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
        double writesPerWorkflow = (double) writes.get() / WORKFLOWS;
        System.out.printf("round trips, %s: %.2f commands and %.2f writes per three-step workflow (%d commands for %d workflows: %s) in %d ms%n",
                mode, perWorkflow, writesPerWorkflow, total, WORKFLOWS, byCommand, millis);
        // One insert, one update per step or per burst, one outbox drop.
        double designed = mode == RunnerConfig.Durability.PER_STEP ? 5 : 3;
        assertThat(writesPerWorkflow).isBetween(designed, designed + 0.25);
        assertThat(perWorkflow).as("commands per workflow, writes sent together").isLessThanOrEqualTo(mode == RunnerConfig.Durability.PER_STEP ? 0.5 : 0.25);
    }
}
