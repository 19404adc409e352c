package net.reactory.workflow.application.port.out;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import net.reactory.workflow.domain.instance.ExecutionPointer;
import net.reactory.workflow.domain.instance.Lease;
import net.reactory.workflow.domain.definition.WorkflowId;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/**
 * The contract of {@link InstanceStore}: every adapter subclasses this once and passes it unchanged.
 */
public abstract class InstanceStoreContract {

    protected static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final Instant LEASE_END = NOW.plusSeconds(30);

    protected InstanceStore store;

    /** A store with nothing in it. */
    protected abstract InstanceStore newStore();

    @BeforeEach
    void createStore() {
        store = newStore();
    }

    @Test
    void givenNewInstance_whenCreated_thenLoadReturnsItEqual() {
        WorkflowInstance instance = TestInstances.runnable(NOW);

        CreateResult result = store.create(instance);

        assertThat(result).isInstanceOf(CreateResult.Created.class);
        assertThat(store.load(instance.id())).contains(instance);
    }

    @Test
    void givenInstanceWithBranchesWaitsAndCompensations_whenSavedAndLoaded_thenEveryPointerFieldComesBackEqual() {
        WorkflowInstance plain = TestInstances.runnable(NOW);
        store.create(plain);
        List<ExecutionPointer> pointers = List.of(
                new ExecutionPointer(1, 2, 1, null, "container-state", null, ExecutionPointer.NO_SCOPE, null,
                        new ExecutionPointer.Join(List.of("c", 4), Map.of("k", "v"), List.of(5, 6)), new ExecutionPointer.Compensation(List.of(0, 1), false)),
                new ExecutionPointer(2, 3, 2, NOW.plusMillis(1500).plusNanos(7), null, null, 1, "a", null,
                        new ExecutionPointer.Compensation(List.of(3), true)),
                new ExecutionPointer(3, 3, 1, null, List.of(1, 2), new ExecutionPointer.EventWait("paid", "order-7", NOW), 1, 2, null, null));
        WorkflowInstance branched = new WorkflowInstance(plain.id(), plain.definition(), plain.status(), plain.data(), pointers, 4,
                plain.nextExecution(), plain.revision() + 1, plain.reference(), plain.createdAt(), plain.updatedAt(), null, null, plain.errors());

        assertThat(store.save(branched, plain.revision(), List.of())).isTrue();

        assertThat(store.load(plain.id()).orElseThrow().pointers()).isEqualTo(pointers);
    }

    @Test
    void givenUnknownId_whenLoaded_thenEmpty() {
        assertThat(store.load("no-such-instance")).isEmpty();
    }

    @Test
    void givenReferenceUsed_whenAnotherInstanceOfSameWorkflowTakesIt_thenRefusedNamingTheFirst() {
        WorkflowInstance first = TestInstances.instance(TestInstances.DEFINITION, WorkflowStatus.RUNNABLE, NOW, "order-42", null);
        WorkflowInstance second = TestInstances.instance(TestInstances.DEFINITION, WorkflowStatus.RUNNABLE, NOW, "order-42", null);
        store.create(first);

        CreateResult result = store.create(second);

        assertThat(result).isEqualTo(new CreateResult.ReferenceTaken(first.id()));
        assertThat(store.load(second.id())).isEmpty();
        assertThat(store.load(first.id())).contains(first);
    }

    @Test
    void givenReferenceUsed_whenItsInstanceIsSavedUnderAnotherReference_thenTheOldOneIsFreeAndTheNewOneFindsIt() {
        WorkflowInstance live = TestInstances.instance(TestInstances.DEFINITION, WorkflowStatus.RUNNABLE, NOW, "auto-start:test.Flow@1.0.0", null);
        store.create(live);
        WorkflowInstance renamed = new WorkflowInstance(live.id(), live.definition(), WorkflowStatus.COMPLETE, live.data(), List.of(),
                live.nextPointerId(), null, live.revision() + 1, "auto-start:test.Flow@1.0.0:finished:" + live.id(), live.createdAt(), NOW,
                NOW, null, live.errors());

        assertThat(store.save(renamed, live.revision(), List.of())).isTrue();

        assertThat(store.findByReference(live.definition().id(), renamed.reference())).contains(renamed);
        assertThat(store.findByReference(live.definition().id(), live.reference())).isEmpty();
        WorkflowInstance next = TestInstances.instance(TestInstances.DEFINITION, WorkflowStatus.RUNNABLE, NOW, live.reference(), null);
        assertThat(store.create(next)).isInstanceOf(CreateResult.Created.class);
        assertThat(store.create(TestInstances.instance(TestInstances.DEFINITION, WorkflowStatus.RUNNABLE, NOW, live.reference(), null)))
                .isEqualTo(new CreateResult.ReferenceTaken(next.id()));
    }

    @Test
    void givenReferenceUsedByOneWorkflow_whenAnotherWorkflowUsesIt_thenBothStored() {
        WorkflowInstance first = TestInstances.instance(TestInstances.DEFINITION, WorkflowStatus.RUNNABLE, NOW, "shared", null);
        WorkflowInstance second = TestInstances.instance(TestInstances.OTHER_DEFINITION, WorkflowStatus.RUNNABLE, NOW, "shared", null);

        assertThat(store.create(first)).isInstanceOf(CreateResult.Created.class);
        assertThat(store.create(second)).isInstanceOf(CreateResult.Created.class);
    }

    @Test
    void givenStoredInstance_whenSavedOnItsRevision_thenReplaced() {
        WorkflowInstance instance = TestInstances.runnable(NOW);
        store.create(instance);
        WorkflowInstance next = TestInstances.advanced(instance, Map.of("n", 2));

        assertThat(store.save(next, instance.revision(), List.of())).isTrue();

        assertThat(store.load(instance.id())).contains(next);
    }

    @Test
    void givenStoredInstance_whenSavedOnStaleRevision_thenRejectedAndStoredOneUnchanged() {
        WorkflowInstance instance = TestInstances.runnable(NOW);
        store.create(instance);
        WorkflowInstance winner = TestInstances.advanced(instance, Map.of("n", 2));
        store.save(winner, instance.revision(), List.of());
        WorkflowInstance loser = TestInstances.advanced(instance, Map.of("n", 99));

        assertThat(store.save(loser, instance.revision(), List.of())).isFalse();

        assertThat(store.load(instance.id())).contains(winner);
    }

    @Test
    void givenUnknownInstance_whenSaved_thenRejected() {
        WorkflowInstance never = TestInstances.runnable(NOW);

        assertThat(store.save(TestInstances.advanced(never, Map.of()), never.revision(), List.of())).isFalse();
        assertThat(store.load(never.id())).isEmpty();
    }

    @Test
    void givenDueUnleasedInstance_whenClaimDue_thenLeasedToClaimerWithRevisionRaised() {
        WorkflowInstance instance = TestInstances.runnable(NOW.minusSeconds(1));
        store.create(instance);

        List<WorkflowInstance> claimed = store.claimDue("node-a", NOW, LEASE_END, 10);

        assertThat(claimed).hasSize(1);
        WorkflowInstance c = claimed.get(0);
        assertThat(c.id()).isEqualTo(instance.id());
        assertThat(c.lease()).isEqualTo(new Lease("node-a", LEASE_END));
        assertThat(c.revision()).isEqualTo(instance.revision() + 1);
        assertThat(store.load(instance.id())).contains(c);
    }

    @Test
    void givenInstanceDueLater_whenClaimDue_thenNotClaimed() {
        store.create(TestInstances.runnable(NOW.plusSeconds(5)));

        assertThat(store.claimDue("node-a", NOW, LEASE_END, 10)).isEmpty();
    }

    @Test
    void givenManyDueInstances_whenClaimDueWithLimit_thenAtMostLimitClaimedOldestFirst() {
        List<WorkflowInstance> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            WorkflowInstance instance = TestInstances.runnable(NOW.minusSeconds(10 - i));
            created.add(instance);
            store.create(instance);
        }

        List<WorkflowInstance> claimed = store.claimDue("node-a", NOW, LEASE_END, 3);

        assertThat(claimed).extracting(WorkflowInstance::id)
                .containsExactly(created.get(0).id(), created.get(1).id(), created.get(2).id());
    }

    @Test
    void givenLiveLeaseOfAnotherNode_whenClaimed_thenNotClaimed() {
        WorkflowInstance instance = TestInstances.instance(TestInstances.DEFINITION, WorkflowStatus.RUNNABLE, NOW.minusSeconds(1), null,
                new Lease("node-b", NOW.plusSeconds(10)));
        store.create(instance);

        assertThat(store.claim(instance.id(), "node-a", NOW, LEASE_END)).isEmpty();
        assertThat(store.claimDue("node-a", NOW, LEASE_END, 10)).isEmpty();
    }

    @Test
    void givenExpiredLeaseOfAnotherNode_whenClaimDue_thenTakenOver() {
        WorkflowInstance instance = TestInstances.instance(TestInstances.DEFINITION, WorkflowStatus.RUNNABLE, NOW.minusSeconds(60), null,
                new Lease("node-b", NOW.minusSeconds(1)));
        store.create(instance);

        List<WorkflowInstance> claimed = store.claimDue("node-a", NOW, LEASE_END, 10);

        assertThat(claimed).singleElement().satisfies(c -> assertThat(c.lease().owner()).isEqualTo("node-a"));
    }

    @Test
    void givenLeaseWrittenAfterAClaimFoundNothing_whenItExpires_thenClaimDueTakesItOver() {
        assertThat(store.claimDue("node-a", NOW, LEASE_END, 10)).isEmpty();
        WorkflowInstance instance = TestInstances.instance(TestInstances.DEFINITION, WorkflowStatus.RUNNABLE, NOW.minusSeconds(1), null,
                new Lease("node-b", NOW.plusSeconds(10)));
        store.create(instance);

        assertThat(store.claimDue("node-a", NOW.plusSeconds(9), LEASE_END, 10)).isEmpty();
        assertThat(store.claimDue("node-a", NOW.plusSeconds(10), LEASE_END.plusSeconds(10), 10)).extracting(WorkflowInstance::id)
                .containsExactly(instance.id());
    }

    @Test
    void givenRenewedLease_whenTheOldEndPasses_thenNotTakenOverUntilTheNewEnd() {
        WorkflowInstance instance = TestInstances.runnable(NOW.minusSeconds(1));
        store.create(instance);
        WorkflowInstance claimed = store.claim(instance.id(), "node-b", NOW, NOW.plusSeconds(10)).orElseThrow();
        assertThat(store.renewLease(instance.id(), "node-b", claimed.revision(), NOW.plusSeconds(40))).isTrue();

        assertThat(store.claimDue("node-a", NOW.plusSeconds(11), LEASE_END.plusSeconds(11), 10)).isEmpty();
        assertThat(store.claimDue("node-a", NOW.plusSeconds(39), LEASE_END.plusSeconds(39), 10)).isEmpty();
        assertThat(store.claimDue("node-a", NOW.plusSeconds(40), LEASE_END.plusSeconds(40), 10)).extracting(WorkflowInstance::id)
                .containsExactly(instance.id());
    }

    @Test
    void givenExpiredLeaseOnASleepingInstance_whenClaimDue_thenTakenOverOnlyOnceItIsDue() {
        WorkflowInstance instance = TestInstances.instance(TestInstances.DEFINITION, WorkflowStatus.RUNNABLE, NOW.plusSeconds(30), null,
                new Lease("node-b", NOW.plusSeconds(5)));
        store.create(instance);

        assertThat(store.claimDue("node-a", NOW.plusSeconds(6), LEASE_END.plusSeconds(6), 10)).isEmpty();
        assertThat(store.claimDue("node-a", NOW.plusSeconds(29), LEASE_END.plusSeconds(29), 10)).isEmpty();
        assertThat(store.claimDue("node-a", NOW.plusSeconds(30), LEASE_END.plusSeconds(30), 10)).extracting(WorkflowInstance::id)
                .containsExactly(instance.id());
    }

    @Test
    void givenMoreExpiredLeasesThanTheLimit_whenClaimedTwice_thenTheRestComeWithTheSecondClaim() {
        for (int i = 0; i < 5; i++) {
            store.create(TestInstances.instance(TestInstances.DEFINITION, WorkflowStatus.RUNNABLE, NOW.minusSeconds(60), null,
                    new Lease("node-b", NOW.minusSeconds(1))));
        }

        assertThat(store.claimDue("node-a", NOW, LEASE_END, 3)).hasSize(3);
        assertThat(store.claimDue("node-a", NOW, LEASE_END, 3)).hasSize(2);
        assertThat(store.claimDue("node-a", NOW, LEASE_END, 3)).isEmpty();
    }

    @Test
    void givenInstanceWithReference_whenFoundByReference_thenItsLatestVersionForThatWorkflowOnly() {
        WorkflowInstance instance = TestInstances.instance(TestInstances.DEFINITION, WorkflowStatus.RUNNABLE, NOW, "order-42", null);
        store.create(instance);
        WorkflowInstance advanced = TestInstances.advanced(instance, Map.of("step", 2));
        assertThat(store.save(advanced, instance.revision(), List.of())).isTrue();

        assertThat(store.findByReference(TestInstances.DEFINITION.id(), "order-42"))
                .hasValueSatisfying(found -> assertThat(found.revision()).isEqualTo(advanced.revision()));
        assertThat(store.findByReference(TestInstances.OTHER_DEFINITION.id(), "order-42")).isEmpty();
        assertThat(store.findByReference(TestInstances.DEFINITION.id(), "order-43")).isEmpty();
    }

    @Test
    void givenSuspendedAndFinishedInstances_whenClaimDue_thenNoneClaimed() {
        store.create(TestInstances.instance(TestInstances.DEFINITION, WorkflowStatus.SUSPENDED, NOW.minusSeconds(1), null, null));
        store.create(TestInstances.finished(NOW.minusSeconds(1)));

        assertThat(store.claimDue("node-a", NOW, LEASE_END, 10)).isEmpty();
    }

    @Test
    void givenClaimedInstance_whenSavedWithLeaseReleasedAndDue_thenClaimableAgain() {
        WorkflowInstance instance = TestInstances.runnable(NOW.minusSeconds(1));
        store.create(instance);
        WorkflowInstance claimed = store.claim(instance.id(), "node-a", NOW, LEASE_END).orElseThrow();

        store.save(TestInstances.advanced(claimed, Map.of()).withLease(null), claimed.revision(), List.of());

        assertThat(store.claim(instance.id(), "node-b", NOW, LEASE_END)).isPresent();
    }

    @Test
    void givenLeaseHeld_whenOwnerRenewsOnItsRevision_thenExtendedWithoutRevisionChange() {
        WorkflowInstance instance = TestInstances.runnable(NOW.minusSeconds(1));
        store.create(instance);
        WorkflowInstance claimed = store.claim(instance.id(), "node-a", NOW, LEASE_END).orElseThrow();
        Instant later = LEASE_END.plusSeconds(60);

        assertThat(store.renewLease(instance.id(), "node-a", claimed.revision(), later)).isTrue();

        WorkflowInstance stored = store.load(instance.id()).orElseThrow();
        assertThat(stored.lease()).isEqualTo(new Lease("node-a", later));
        assertThat(stored.revision()).isEqualTo(claimed.revision());
    }

    @Test
    void givenLeaseHeld_whenAnotherNodeOrStaleRevisionRenews_thenRefused() {
        WorkflowInstance instance = TestInstances.runnable(NOW.minusSeconds(1));
        store.create(instance);
        WorkflowInstance claimed = store.claim(instance.id(), "node-a", NOW, LEASE_END).orElseThrow();

        assertThat(store.renewLease(instance.id(), "node-b", claimed.revision(), LEASE_END.plusSeconds(60))).isFalse();
        assertThat(store.renewLease(instance.id(), "node-a", claimed.revision() - 1, LEASE_END.plusSeconds(60))).isFalse();
        assertThat(store.load(instance.id()).orElseThrow().lease()).isEqualTo(new Lease("node-a", LEASE_END));
    }

    @Test
    void givenLeaseHeld_whenOwnerReleases_thenAnotherNodeClaimsAtOnce() {
        WorkflowInstance instance = TestInstances.runnable(NOW.minusSeconds(1));
        store.create(instance);
        WorkflowInstance claimed = store.claim(instance.id(), "node-a", NOW, LEASE_END).orElseThrow();

        assertThat(store.releaseLease(instance.id(), "node-a", claimed.revision())).isTrue();

        assertThat(store.claimDue("node-b", NOW, LEASE_END, 10)).extracting(WorkflowInstance::id).containsExactly(instance.id());
    }

    @Test
    void givenInstancesOfSeveralKinds_whenQueried_thenFilteredOrderedAndPaged() {
        WorkflowInstance a = TestInstances.instance(TestInstances.DEFINITION, WorkflowStatus.RUNNABLE, NOW.minusSeconds(30), null, null);
        WorkflowInstance b = TestInstances.instance(TestInstances.DEFINITION, WorkflowStatus.RUNNABLE, NOW.minusSeconds(20), null, null);
        WorkflowInstance c = TestInstances.instance(TestInstances.OTHER_DEFINITION, WorkflowStatus.RUNNABLE, NOW.minusSeconds(10), null, null);
        WorkflowInstance d = TestInstances.instance(TestInstances.DEFINITION, WorkflowStatus.SUSPENDED, NOW.minusSeconds(5), null, null);
        List.of(c, a, d, b).forEach(store::create);

        assertThat(store.query(InstanceQuery.byStatus(WorkflowStatus.RUNNABLE, 10))).extracting(WorkflowInstance::id)
                .containsExactly(a.id(), b.id(), c.id());
        assertThat(store.query(new InstanceQuery(null, new WorkflowId("test", "Flow"), null, null, 0, 10)))
                .extracting(WorkflowInstance::id).containsExactly(a.id(), b.id(), d.id());
        assertThat(store.query(new InstanceQuery(null, null, NOW.minusSeconds(20), NOW.minusSeconds(5), 0, 10)))
                .extracting(WorkflowInstance::id).containsExactly(b.id(), c.id());
        assertThat(store.query(new InstanceQuery(null, null, null, null, 1, 2))).extracting(WorkflowInstance::id)
                .containsExactly(b.id(), c.id());
    }

    @Test
    void givenOldAndRecentFinishedInstances_whenPurged_thenOnlyOldFinishedRemoved() {
        WorkflowInstance old = TestInstances.finished(NOW.minus(Duration.ofDays(10)));
        WorkflowInstance recent = TestInstances.finished(NOW.minusSeconds(10));
        WorkflowInstance running = TestInstances.runnable(NOW.minus(Duration.ofDays(10)));
        List.of(old, recent, running).forEach(store::create);

        long purged = store.purgeFinishedBefore(NOW.minus(Duration.ofDays(1)));

        assertThat(purged).isEqualTo(1);
        assertThat(store.load(old.id())).isEmpty();
        assertThat(store.load(recent.id())).isPresent();
        assertThat(store.load(running.id())).isPresent();
    }

    @Test
    void givenTwoClaimersRacing_whenManyInstancesRunnable_thenEveryInstanceClaimedExactlyOnce() throws Exception {
        int count = racingInstanceCount();
        Set<String> ids = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < count; i++) {
            WorkflowInstance instance = TestInstances.runnable(NOW.minusSeconds(1));
            ids.add(instance.id());
            store.create(instance);
        }
        Map<String, String> claimedBy = new ConcurrentHashMap<>();
        AtomicInteger duplicates = new AtomicInteger();
        CyclicBarrier go = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> claimers = new ArrayList<>();
            for (String node : List.of("node-a", "node-b")) {
                claimers.add(pool.submit(() -> {
                    go.await();
                    while (true) {
                        List<WorkflowInstance> batch = store.claimDue(node, NOW, LEASE_END, 100);
                        if (batch.isEmpty()) return null;
                        for (WorkflowInstance c : batch) {
                            if (claimedBy.putIfAbsent(c.id(), node) != null) duplicates.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> claimer : claimers) claimer.get(2, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }

        assertThat(duplicates).hasValue(0);
        assertThat(claimedBy.keySet()).isEqualTo(ids);
        assertThat(claimedBy.values()).contains("node-a", "node-b");
    }

    /** Instances in the racing test; a remote store may lower it to keep the suite fast. */
    protected int racingInstanceCount() {
        return 10_000;
    }
}
