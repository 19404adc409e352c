package net.reactory.workflow.adapter.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoClientSettings;
import com.mongodb.ServerAddress;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;

import net.reactory.workflow.application.port.out.StoreUnavailableException;
import net.reactory.workflow.application.port.out.TestInstances;

/**
 * A caller of the group commit waits without a timer of its own: the batch that carries its write times out for all
 * of them, and writes still queued behind it are timed out with it. Against a server that accepts connections and
 * never answers, every caller, sent or queued, hears {@link StoreUnavailableException} within about the timeout.
 */
class GroupCommitTimeoutTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);

    private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private ServerSocket silent;
    private MongoClient client;

    @AfterEach
    void tearDown() throws IOException {
        callers.shutdownNow();
        if (client != null) client.close();
        for (Socket s : accepted) s.close();
        if (silent != null) silent.close();
    }

    @Test
    void givenServerThatNeverAnswers_whenWritesAreSentAndQueuedBehindThem_thenEveryCallerIsToldWithinTheTimeout() throws Exception {
        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            try {
                while (!silent.isClosed()) accepted.add(silent.accept());
            } catch (IOException closed) {
                // The test is over.
            }
        });
        client = MongoClients.create(MongoClientSettings.builder()
                .applyToClusterSettings(c -> c.hosts(List.of(new ServerAddress("127.0.0.1", silent.getLocalPort())))
                        .serverSelectionTimeout(1, TimeUnit.MINUTES))
                .build());
        // One batch in flight at a time: the first write's batch hangs, the others queue behind it.
        MongoInstanceStore store = new MongoInstanceStore(client.getDatabase("silent"), new BsonData(), TIMEOUT,
                InstantSource.system(), MongoInstanceStore.DEFAULT_HISTORY_LIMIT, 1, 1);

        long began = System.nanoTime();
        List<Future<Long>> waits = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waits.add(callers.submit(() -> {
                long start = System.nanoTime();
                try {
                    store.create(TestInstances.runnable(Instant.now()));
                    throw new AssertionError("a create against a silent server reported success");
                } catch (StoreUnavailableException expected) {
                    return System.nanoTime() - start;
                }
            }));
        }

        for (Future<Long> wait : waits) {
            long waited;
            try {
                waited = wait.get(20, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new AssertionError("a caller failed otherwise", e.getCause());
            }
            assertThat(Duration.ofNanos(waited)).isGreaterThanOrEqualTo(TIMEOUT.minusMillis(50)).isLessThan(TIMEOUT.multipliedBy(6));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(10));
    }
}
