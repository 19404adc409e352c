package net.reactory.workflow.adapter.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import net.reactory.workflow.adapter.mongo.ThreeSteps.Counts;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.step.StepBody;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/**
 * Acceptance 4: the server stops for 10 s mid-run and starts again on the same data (the in-process server's H2
 * backend on a file): the runner survives and every instance completes. Always in-process: a test cannot stop a
 * real MongoDB.
 */
class MongoOutageTest {

    private static final int INSTANCES = 200;
    private static final Duration OUTAGE = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final ThreeSteps flow = new ThreeSteps();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private volatile MongoServer server;
    private MongoClient client;

    @AfterEach
    void tearDown() {
        flow.stopAll();
        timer.shutdownNow();
        if (client != null) client.close();
        if (server != null) server.shutdownNow();
    }

    private MongoServer startServer(String file, int port) {
        MongoServer s = new MongoServer(new H2Backend(file));
        s.bind("127.0.0.1", port);
        return s;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void givenInstancesMidRun_whenServerStopsForTenSecondsAndRestartsOnTheSameData_thenRunnerSurvivesAndAllComplete() throws Exception {
        String file = dir.resolve("workflows.mv").toString();
        int port = freePort();
        server = startServer(file, port);
        client = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString("mongodb://127.0.0.1:" + port))
                .applyToClusterSettings(c -> c.serverSelectionTimeout(1, TimeUnit.SECONDS))
                .applyToSocketSettings(s -> s.connectTimeout(1, TimeUnit.SECONDS).readTimeout(3, TimeUnit.SECONDS))
                .build());
        MongoInstanceStore store = new MongoInstanceStore(client.getDatabase("outage"), new BsonData(), Duration.ofSeconds(5)).createIndexes();
        StepBody countingB = flow.countingB();
        // B's first run waits for the outage, then sleeps 1 s: every instance is mid-run (A committed, B running)
        // when the server stops, and B's commit meets the stopped server.
        CountDownLatch outageBegun = new CountDownLatch(1);
        StepBody middle = ctx -> {
            if (ctx.persistedState() != null) return countingB.run(ctx);
            flow.count("sleep");
            outageBegun.await();
            return ExecutionResult.sleep(Duration.ofSeconds(1), "slept");
        };
        WorkflowRunnerService runner = flow.runner(store, "node-1", Duration.ofSeconds(2), Duration.ofMillis(200), middle);
        List<CompletableFuture<String>> started = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) started.add(runner.startWorkflow(ThreeSteps.ID, "1.0.0", Counts.zero(false)));
        List<String> ids = started.stream().map(CompletableFuture::join).toList();
        await().atMost(30, TimeUnit.SECONDS).until(() -> flow.executed("sleep") >= INSTANCES);
        assertThat(flow.completed).as("nothing finished before the outage").isEmpty();

        server.shutdown();
        outageBegun.countDown();
        long stoppedAt = System.nanoTime();
        ScheduledFuture<?> restart = timer.schedule(() -> {
            server = startServer(file, port);
        }, OUTAGE.toMillis(), TimeUnit.MILLISECONDS);
        restart.get(OUTAGE.toSeconds() + 10, TimeUnit.SECONDS);
        long downMillis = Duration.ofNanos(System.nanoTime() - stoppedAt).toMillis();

        await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200)).until(() -> flow.completed.size() >= INSTANCES);

        assertThat(downMillis).isGreaterThanOrEqualTo(OUTAGE.toMillis());
        assertThat(flow.storeErrors.get()).as("the runner met the outage").isPositive();
        assertThat(runner.isInitialized()).as("the runner survived").isTrue();
        assertThat(flow.completed).containsExactlyInAnyOrderElementsOf(ids);
        for (String id : ids) {
            WorkflowInstance done = store.load(id).orElseThrow();
            assertThat(done.status()).isEqualTo(WorkflowStatus.COMPLETE);
            assertThat(done.data()).isEqualTo(new Counts(1, 1, 1, false));
        }
    }
}
