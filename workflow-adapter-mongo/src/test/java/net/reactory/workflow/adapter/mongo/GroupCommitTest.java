package net.reactory.workflow.adapter.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import com.mongodb.reactivestreams.client.MongoClient;

import net.reactory.workflow.application.port.out.CreateResult;
import net.reactory.workflow.application.port.out.TestInstances;
import net.reactory.workflow.domain.instance.Lease;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/**
 * Group commit (issue 13): writes queued together go as one bulk write, and each caller hears its own outcome. The
 * store's writes are held back until every one of them is queued, so that they share one batch for certain, and a
 * command listener proves they did (one insert command, one update command).
 */
class GroupCommitTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private final Map<String, AtomicLong> commands = new ConcurrentHashMap<>();
    private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
    private MongoClient client;
    private MongoInstanceStore store;

    @AfterEach
    void tearDown() {
        callers.shutdownNow();
        if (client != null) client.close();
    }

    private void openStore() {
        client = TestMongo.newClient(new CommandListener() {
            @Override
            public void commandStarted(CommandStartedEvent event) {
                commands.computeIfAbsent(event.getCommandName(), n -> new AtomicLong()).incrementAndGet();
            }
        });
        store = new MongoInstanceStore(client.getDatabase(TestMongo.freshName()), new BsonData(), Duration.ofSeconds(10),
                InstantSource.system(), MongoInstanceStore.DEFAULT_HISTORY_LIMIT, 500, 1).createIndexes();
    }

    private long sent(String command) {
        AtomicLong n = commands.get(command);
        return n == null ? 0 : n.get();
    }

    /** Queues every call while the store's writes are held back, then lets them go as one batch. */
    private <T> List<Future<T>> inOneBatch(List<Callable<T>> calls) {
        return inOneBatch(calls, calls.size());
    }

    /** The same, for calls of which only {@code writes} get as far as a write. */
    private <T> List<Future<T>> inOneBatch(List<Callable<T>> calls, int writes) {
        store.groupCommit().pause();
        List<Future<T>> answers = new ArrayList<>();
        for (Callable<T> call : calls) answers.add(callers.submit(call));
        await().atMost(Duration.ofSeconds(10)).until(() -> store.groupCommit().queued() == writes);
        commands.clear();
        store.groupCommit().resume();
        return answers;
    }

    private static WorkflowInstance withReference(String reference) {
        return TestInstances.instance(TestInstances.DEFINITION, WorkflowStatus.RUNNABLE, T0, reference, null);
    }

    @Test
    void givenFineStaleAndDuplicateWritesInOneBatch_whenSent_thenEachCallerHearsItsOwnOutcome() throws Exception {
        openStore();
        WorkflowInstance fine1 = TestInstances.runnable(T0);
        WorkflowInstance stale1 = TestInstances.runnable(T0);
        WorkflowInstance fine2 = TestInstances.runnable(T0);
        WorkflowInstance stale2 = TestInstances.runnable(T0);
        WorkflowInstance holder = withReference("order-1");
        for (WorkflowInstance i : List.of(fine1, stale1, fine2, stale2, holder)) store.create(i);
        // The stale ones moved on before the batch: their writers still expect revision 1.
        WorkflowInstance movedOn1 = TestInstances.advanced(stale1, Map.of("by", "other"));
        WorkflowInstance movedOn2 = TestInstances.advanced(stale2, Map.of("by", "other"));
        assertThat(store.save(movedOn1, 1, List.of())).isTrue();
        assertThat(store.save(movedOn2, 1, List.of())).isTrue();

        WorkflowInstance newOne = TestInstances.runnable(T0);
        WorkflowInstance sameReference = withReference("order-1");
        WorkflowInstance otherReference = withReference("order-2");
        WorkflowInstance fine1Next = TestInstances.advanced(fine1, Map.of("n", 2));
        WorkflowInstance stale1Next = TestInstances.advanced(stale1, Map.of("n", 2));
        WorkflowInstance fine2Next = TestInstances.advanced(fine2, Map.of("n", 2));
        WorkflowInstance stale2Next = TestInstances.advanced(stale2, Map.of("n", 2));
        List<Future<Object>> answers = inOneBatch(List.of(
                () -> store.save(stale1Next, 1, List.of()),
                () -> store.create(sameReference),
                () -> store.save(fine1Next, 1, List.of()),
                () -> store.create(newOne),
                () -> store.save(stale2Next, 1, List.of()),
                () -> store.create(otherReference),
                () -> store.save(fine2Next, 1, List.of())));

        List<Object> outcomes = new ArrayList<>();
        for (Future<Object> answer : answers) outcomes.add(answer.get(10, TimeUnit.SECONDS));
        assertThat(outcomes).containsExactly(false, new CreateResult.ReferenceTaken(holder.id()), true,
                new CreateResult.Created(newOne), false, new CreateResult.Created(otherReference), true);
        assertThat(sent("insert")).as("the creates shared one command").isEqualTo(1);
        assertThat(sent("update")).as("the saves shared one command").isEqualTo(1);
        assertThat(store.load(fine1.id())).contains(fine1Next);
        assertThat(store.load(fine2.id())).contains(fine2Next);
        assertThat(store.load(stale1.id())).contains(movedOn1);
        assertThat(store.load(stale2.id())).contains(movedOn2);
        assertThat(store.load(newOne.id())).contains(newOne);
        assertThat(store.load(otherReference.id())).contains(otherReference);
        assertThat(store.load(sameReference.id())).isEmpty();
    }

    @Test
    void givenTwoWritersOfOneRevisionInOneBatch_whenSent_thenExactlyOneSavedAndTheOtherStale() throws Exception {
        openStore();
        WorkflowInstance instance = TestInstances.runnable(T0);
        store.create(instance);
        WorkflowInstance mine = TestInstances.advanced(instance, Map.of("writer", "mine"));
        WorkflowInstance theirs = TestInstances.advanced(instance, Map.of("writer", "theirs"));

        List<Future<Boolean>> answers = inOneBatch(List.of(() -> store.save(mine, 1, List.of()), () -> store.save(theirs, 1, List.of())));

        boolean mineSaved = answers.get(0).get(10, TimeUnit.SECONDS);
        boolean theirsSaved = answers.get(1).get(10, TimeUnit.SECONDS);
        assertThat(mineSaved ^ theirsSaved).as("exactly one of two writers of revision 1 commits").isTrue();
        assertThat(sent("update")).isEqualTo(1);
        assertThat(sent("find")).as("fewer matched than sent: one read-back").isEqualTo(1);
        assertThat(store.load(instance.id())).contains(mineSaved ? mine : theirs);
    }

    @Test
    void givenLeaseReleasesAndSavesInOneBatch_whenSent_thenOnlyTheHoldersReleaseLands() throws Exception {
        openStore();
        Lease lease = new Lease("node-a", T0.plusSeconds(60));
        WorkflowInstance held = TestInstances.instance(TestInstances.DEFINITION, WorkflowStatus.RUNNABLE, T0, null, lease);
        WorkflowInstance heldToo = TestInstances.instance(TestInstances.DEFINITION, WorkflowStatus.RUNNABLE, T0, null, lease);
        WorkflowInstance saved = TestInstances.runnable(T0);
        for (WorkflowInstance i : List.of(held, heldToo, saved)) store.create(i);
        WorkflowInstance savedNext = TestInstances.advanced(saved, Map.of("n", 5));

        List<Future<Boolean>> answers = inOneBatch(List.of(
                () -> store.releaseLease(held.id(), "node-a", 1),
                () -> store.save(savedNext, 1, List.of()),
                () -> store.releaseLease(heldToo.id(), "node-b", 1)), 2); // node-b's release is refused on the read, before any write

        assertThat(answers.get(0).get(10, TimeUnit.SECONDS)).as("the holder's release").isTrue();
        assertThat(answers.get(1).get(10, TimeUnit.SECONDS)).as("the save beside it").isTrue();
        assertThat(answers.get(2).get(10, TimeUnit.SECONDS)).as("a release by a node that holds nothing").isFalse();
        assertThat(store.load(held.id()).orElseThrow().lease()).isNull();
        assertThat(store.load(heldToo.id()).orElseThrow().lease()).isEqualTo(lease);
        assertThat(store.load(saved.id())).contains(savedNext);
        assertThat(sent("update")).as("the release and the save shared one command").isEqualTo(1);
    }
}
