package net.reactory.workflow.application.port.out;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

import net.reactory.workflow.application.port.in.InstanceFilter;
import net.reactory.workflow.domain.instance.ExecutionPointer;
import net.reactory.workflow.domain.instance.Lease;
import net.reactory.workflow.domain.definition.WorkflowId;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;
import net.reactory.workflow.domain.definition.DefinitionKey;
import net.reactory.workflow.domain.definition.SemanticVersion;
import net.reactory.workflow.domain.instance.StepError;
import net.reactory.workflow.domain.instance.WorkflowEvent;

/**
 * The contract of {@link InstanceStore}: every adapter subclasses this once and passes it unchanged.
 */
public abstract class InstanceStoreContract {

    protected static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final Instant LEASE_END = NOW.plusSeconds(30);

    protected InstanceStore store;

    /** A store with nothing in it. */
    protected abstract InstanceStore newStore();

    /** A store with nothing in it that keeps at most {@code historyLimit} history entries per instance. */
    protected abstract InstanceStore newStore(int historyLimit);

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
    void givenTracedInstance_whenCreatedThenSaved_thenItsTraceContextComesBackEachTime() {
        Map<String, String> context = Map.of("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                "tracestate", "vendor=opaque");
        WorkflowInstance traced = TestInstances.runnable(NOW).withTraceContext(context);
        store.create(traced);
        assertThat(store.load(traced.id()).orElseThrow().traceContext()).isEqualTo(context);

        WorkflowInstance next = traced.nextRevision(NOW.plusSeconds(1)).withData(Map.of("n", 2));
        assertThat(store.save(next, traced.revision(), List.of())).isTrue();

        assertThat(store.load(traced.id()).orElseThrow()).isEqualTo(next);
        assertThat(store.load(TestInstances.runnable(NOW).id())).isEmpty();
    }

    @Test
    void givenUntracedInstance_whenLoaded_thenItsTraceContextIsEmpty() {
        WorkflowInstance plain = TestInstances.runnable(NOW);
        store.create(plain);

        assertThat(store.load(plain.id()).orElseThrow().traceContext()).isEmpty();
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
    void givenStoredInstance_whenAnotherWithItsIdAndANewReferenceIsCreated_thenRefusedNamingTheIdAndTheReferenceStaysFree() {
        WorkflowInstance stored = TestInstances.runnable(NOW);
        store.create(stored);
        WorkflowInstance sameId = new WorkflowInstance(stored.id(), stored.definition(), stored.status(), Map.of("n", 2), stored.pointers(),
                stored.nextPointerId(), stored.nextExecution(), 1, "order-7", stored.createdAt(), stored.updatedAt(), null, null, List.of());

        assertThatThrownBy(() -> store.create(sameId)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(stored.id());

        assertThat(store.load(stored.id())).contains(stored);
        assertThat(store.findByReference(TestInstances.DEFINITION.id(), "order-7")).isEmpty();
        WorkflowInstance next = TestInstances.instance(TestInstances.DEFINITION, WorkflowStatus.RUNNABLE, NOW, "order-7", null);
        assertThat(store.create(next)).isEqualTo(new CreateResult.Created(next));
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

        assertThat(store.query(InstanceFilter.byStatus(WorkflowStatus.RUNNABLE, 10))).extracting(WorkflowInstance::id)
                .containsExactly(a.id(), b.id(), c.id());
        assertThat(store.query(new InstanceFilter(null, new WorkflowId("test", "Flow"), null, null, 0, 10)))
                .extracting(WorkflowInstance::id).containsExactly(a.id(), b.id(), d.id());
        assertThat(store.query(new InstanceFilter(null, null, NOW.minusSeconds(20), NOW.minusSeconds(5), 0, 10)))
                .extracting(WorkflowInstance::id).containsExactly(b.id(), c.id());
        assertThat(store.query(new InstanceFilter(null, null, null, null, 1, 2))).extracting(WorkflowInstance::id)
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

    @Test
    void givenNumbersNoDoubleOrLongHolds_whenSavedAndLoaded_thenEachComesBackExactlyAsItsOwnType() {
        WorkflowInstance plain = TestInstances.runnable(NOW);
        store.create(plain);
        Map<String, Object> numbers = new java.util.LinkedHashMap<>();
        numbers.put("int", 7);
        numbers.put("long", Long.MAX_VALUE);
        numbers.put("double", 0.1);
        numbers.put("beyondLong", new java.math.BigInteger("123456789012345678901234567890"));
        numbers.put("beyondDecimal128", new java.math.BigInteger("1234567890123456789012345678901234567890"));
        numbers.put("negativeBeyondLong", new java.math.BigInteger("-98765432109876543210"));
        numbers.put("finerThanDouble", new java.math.BigDecimal("0.1000000000000000000001"));
        numbers.put("tinierThanDouble", new java.math.BigDecimal("1E-400"));
        numbers.put("trailingZeros", new java.math.BigDecimal("19.990"));
        numbers.put("moreDigitsThanDecimal128", new java.math.BigDecimal("12345678901234567890.12345678901234567890123"));
        numbers.put("nested", List.of(Map.of("deep", new java.math.BigInteger("-123456789012345678901234567890123456789")),
                new java.math.BigDecimal("-1.000000000000000000000000000000000000000001")));
        WorkflowInstance withNumbers = TestInstances.advanced(plain, numbers);

        assertThat(store.save(withNumbers, plain.revision(), List.of())).isTrue();

        Object loaded = store.load(plain.id()).orElseThrow().data();
        assertThat(loaded).isEqualTo(numbers);
        Map<?, ?> back = (Map<?, ?>) loaded;
        numbers.forEach((k, v) -> {
            if (v instanceof Number) assertThat(back.get(k)).as(k).isInstanceOf(v.getClass());
        });
        assertThat(back.get("trailingZeros").toString()).isEqualTo("19.990");
    }

    /** Instances in the racing test; a remote store may lower it to keep the suite fast. */
    protected int racingInstanceCount() {
        return 10_000;
    }

    // ------------------------------------------------------------------ history

    private static WorkflowEvent.WorkflowStarted started(WorkflowInstance i) {
        return new WorkflowEvent.WorkflowStarted(i.id(), i.definition(), i.revision(), i.createdAt(), i.reference());
    }

    private static WorkflowEvent.StepCompleted completed(WorkflowInstance i, long revision, String step) {
        return new WorkflowEvent.StepCompleted(i.id(), i.definition(), revision, NOW.plusSeconds(revision), step, 7);
    }

    /** Saves {@code steps} transitions of one step each, from the instance's revision on; returns the last saved. */
    private WorkflowInstance saveSteps(WorkflowInstance from, int steps) {
        WorkflowInstance current = from;
        for (int n = 0; n < steps; n++) {
            WorkflowInstance next = TestInstances.advanced(current, Map.of("n", n));
            assertThat(store.save(next, current.revision(), List.of(completed(next, next.revision(), "Step" + n)))).isTrue();
            current = next;
        }
        return current;
    }

    @Test
    void givenCreateWithItsStartEvent_whenHistoryRead_thenTheStartComesFirstWithItsRevisionAndTime() {
        WorkflowInstance instance = TestInstances.runnable(NOW);

        store.create(instance, List.of(started(instance)));

        HistoryPage page = store.history(instance.id(), 0, 10).orElseThrow();
        assertThat(page.entries()).extracting(HistoryEntry::type).containsExactly("WorkflowStarted");
        assertThat(page.entries().get(0).revision()).isEqualTo(instance.revision());
        assertThat(page.entries().get(0).at()).isEqualTo(instance.createdAt());
        assertThat(page.next()).isNull();
        assertThat(page.dropped()).isEqualTo(HistoryPage.Dropped.NONE);
    }

    @Test
    void givenSavesWithEvents_whenHistoryRead_thenEveryEventOldestFirstWithStepPointerErrorAndOrigin() {
        WorkflowInstance instance = TestInstances.runnable(NOW);
        store.create(instance, List.of(started(instance)));
        WorkflowInstance second = TestInstances.advanced(instance, Map.of("n", 2));
        StepError error = new StepError("Charge", "IOException", "card declined", 2, NOW.plusMillis(1500).plusNanos(3));
        store.save(second, instance.revision(), List.of(completed(second, second.revision(), "Reserve"),
                new WorkflowEvent.StepFailed(second.id(), second.definition(), second.revision(), NOW.plusSeconds(2), error)));
        WorkflowInstance third = TestInstances.advanced(second, Map.of("n", 3));
        store.save(third, second.revision(), List.of(new WorkflowEvent.WorkflowSuspended(third.id(), third.definition(),
                third.revision(), NOW.plusSeconds(3), "ops", new WorkflowEvent.Origin("alice@10.0.0.1", "http"))));
        WorkflowInstance fourth = TestInstances.advanced(third, Map.of("n", 4));
        store.save(fourth, third.revision(), List.of());

        List<HistoryEntry> entries = store.history(instance.id(), 0, 100).orElseThrow().entries();

        assertThat(entries).extracting(HistoryEntry::type).containsExactly("WorkflowStarted", "StepCompleted", "StepFailed", "WorkflowSuspended");
        assertThat(entries).extracting(HistoryEntry::revision).containsExactly(1L, 2L, 2L, 3L);
        HistoryEntry step = entries.get(1);
        assertThat(step.step()).isEqualTo("Reserve");
        assertThat(step.pointer()).isEqualTo(7);
        assertThat(step.kind()).isEqualTo("step.completed.7");
        assertThat(step.at()).isEqualTo(NOW.plusSeconds(2));
        assertThat(entries.get(2).error()).isEqualTo(error);
        assertThat(entries.get(2).step()).isEqualTo("Charge");
        HistoryEntry suspended = entries.get(3);
        assertThat(suspended.actor()).isEqualTo("alice@10.0.0.1");
        assertThat(suspended.entryPoint()).isEqualTo("http");
        assertThat(suspended.detail()).isEqualTo("ops");
        assertThat(step.actor()).isNull();
    }

    @Test
    void givenStaleSave_whenHistoryRead_thenItsEventsAreNotThere() {
        WorkflowInstance instance = TestInstances.runnable(NOW);
        store.create(instance, List.of(started(instance)));
        WorkflowInstance next = TestInstances.advanced(instance, Map.of());
        store.save(next, instance.revision(), List.of(completed(next, next.revision(), "A")));

        WorkflowInstance stale = TestInstances.advanced(instance, Map.of());
        assertThat(store.save(stale, instance.revision(), List.of(completed(stale, stale.revision(), "Lost")))).isFalse();

        assertThat(store.history(instance.id(), 0, 100).orElseThrow().entries()).extracting(HistoryEntry::step)
                .containsExactly(null, "A");
    }

    @Test
    void givenLongHistory_whenPagedAfterEachPagesNext_thenEveryEntryOnceInOrderAndARevisionNeverSplit() {
        WorkflowInstance instance = TestInstances.runnable(NOW);
        store.create(instance, List.of(started(instance)));
        WorkflowInstance current = instance;
        for (int n = 0; n < 10; n++) {
            WorkflowInstance next = TestInstances.advanced(current, Map.of());
            // Two events per revision: a page of 3 must take the whole second revision or none of it.
            store.save(next, current.revision(), List.of(completed(next, next.revision(), "S" + n + "a"), completed(next, next.revision(), "S" + n + "b")));
            current = next;
        }
        List<String> steps = new ArrayList<>();
        Long after = 0L;
        int pages = 0;
        while (after != null) {
            HistoryPage page = store.history(instance.id(), after, 3).orElseThrow();
            assertThat(page.entries()).isNotEmpty();
            long lastRevision = page.entries().get(page.entries().size() - 1).revision();
            if (page.next() != null) assertThat(page.next()).isEqualTo(lastRevision);
            page.entries().forEach(e -> steps.add(e.step()));
            after = page.next();
            pages++;
        }
        assertThat(steps).hasSize(21).startsWith(null, "S0a", "S0b").endsWith("S9a", "S9b");
        assertThat(pages).as("pages of 3, 4, 4, 4, 4 and 2 entries").isEqualTo(6);
    }

    @Test
    void givenMoreEventsThanTheCap_whenHistoryRead_thenTheNewestAreKeptAndTheDroppedOnesSummarised() {
        store = newStore(5);
        WorkflowInstance instance = TestInstances.runnable(NOW);
        store.create(instance, List.of(started(instance)));

        saveSteps(instance, 9);

        HistoryPage page = store.history(instance.id(), 0, 100).orElseThrow();
        assertThat(page.entries()).extracting(HistoryEntry::step).containsExactly("Step4", "Step5", "Step6", "Step7", "Step8");
        assertThat(page.dropped().count()).isEqualTo(5);
        assertThat(page.dropped().firstRevision()).isEqualTo(1);
        assertThat(page.dropped().lastRevision()).isBetween(5L, 6L);
    }

    @Test
    void givenHistoryLimitZero_whenStepsSaved_thenTheInstanceIsKeptAndItsHistoryIsEmpty() {
        store = newStore(0);
        WorkflowInstance instance = TestInstances.runnable(NOW);
        store.create(instance, List.of(started(instance)));

        WorkflowInstance last = saveSteps(instance, 3);

        HistoryPage page = store.history(instance.id(), 0, 100).orElseThrow();
        assertThat(page.entries()).isEmpty();
        assertThat(page.next()).isNull();
        assertThat(page.dropped()).isEqualTo(HistoryPage.Dropped.NONE);
        assertThat(store.load(instance.id()).orElseThrow().revision()).isEqualTo(last.revision());
    }

    @Test
    void givenUnknownInstance_whenHistoryRead_thenEmpty() {
        assertThat(store.history("no-such-instance", 0, 10)).isEmpty();
    }

    @Test
    void givenFinishedInstanceWithHistory_whenPurged_thenItsHistoryGoesWithIt() {
        WorkflowInstance old = TestInstances.finished(NOW.minus(Duration.ofDays(10)));
        store.create(old, List.of(started(old)));

        store.purgeFinishedBefore(NOW.minus(Duration.ofDays(1)));

        assertThat(store.history(old.id(), 0, 10)).isEmpty();
    }

    // ------------------------------------------------------------------ lists and counts

    @Test
    void givenInstancesOfTwoVersionsWithReferencesAndData_whenQueriedByVersionReferenceAndText_thenOnlyTheMatches() {
        DefinitionKey v2 = DefinitionKey.of("test", "Flow", "2.0.0");
        WorkflowInstance a = withData(TestInstances.instance(TestInstances.DEFINITION, WorkflowStatus.RUNNABLE, NOW.minusSeconds(30), "ref-a", null),
                Map.of("customer", "Ada Lovelace"));
        WorkflowInstance b = withData(TestInstances.instance(v2, WorkflowStatus.RUNNABLE, NOW.minusSeconds(20), "ref-b", null),
                Map.of("customer", "Grace Hopper"));
        WorkflowInstance c = withData(TestInstances.instance(v2, WorkflowStatus.RUNNABLE, NOW.minusSeconds(10), null, null),
                Map.of("customer", "ada king"));
        List.of(c, a, b).forEach(store::create);
        WorkflowId flow = new WorkflowId("test", "Flow");

        assertThat(store.query(new InstanceFilter(null, flow, null, null, 0, 10, SemanticVersion.parse("2.0.0"), null, null, false, null)))
                .extracting(WorkflowInstance::id).containsExactly(b.id(), c.id());
        assertThat(store.query(new InstanceFilter(null, flow, null, null, 0, 10, null, "ref-b", null, false, null)))
                .extracting(WorkflowInstance::id).containsExactly(b.id());
        assertThat(store.query(new InstanceFilter(null, null, null, null, 0, 10, null, null, "ADA", false, null)))
                .extracting(WorkflowInstance::id).containsExactly(a.id(), c.id());
        assertThat(store.query(new InstanceFilter(null, null, null, null, 0, 10, null, null, "ada", true, null)))
                .extracting(WorkflowInstance::id).containsExactly(c.id(), a.id());
    }

    private static WorkflowInstance withData(WorkflowInstance i, Object data) {
        return i.withData(data);
    }

    @Test
    void givenManyInstances_whenPagedWithCursorsBothWays_thenEachOnceInCreationOrder() {
        List<String> created = new ArrayList<>();
        for (int n = 0; n < 25; n++) {
            // Some share a creation time: the id breaks the tie.
            WorkflowInstance i = TestInstances.instance(TestInstances.DEFINITION, WorkflowStatus.RUNNABLE, NOW.plusSeconds(n / 3), null, null);
            store.create(i);
            created.add(i.id());
        }
        List<WorkflowInstance> all = store.query(InstanceFilter.all(100));
        List<String> ordered = all.stream().map(WorkflowInstance::id).toList();
        assertThat(ordered).containsExactlyInAnyOrderElementsOf(created);
        for (boolean newestFirst : List.of(false, true)) {
            List<String> seen = new ArrayList<>();
            InstanceFilter.Cursor after = null;
            while (true) {
                List<WorkflowInstance> page = store.query(new InstanceFilter(null, null, null, null, 0, 4, null, null, null, newestFirst, after));
                if (page.isEmpty()) break;
                page.forEach(i -> seen.add(i.id()));
                after = InstanceFilter.Cursor.of(page.get(page.size() - 1));
            }
            List<String> expected = new ArrayList<>(ordered);
            if (newestFirst) java.util.Collections.reverse(expected);
            assertThat(seen).as("newestFirst=%s", newestFirst).isEqualTo(expected);
        }
    }

    @Test
    void givenInstancesAtSeveralStatuses_whenCounted_thenPerStatusForTheFilterOnly() {
        List.of(TestInstances.instance(TestInstances.DEFINITION, WorkflowStatus.RUNNABLE, NOW, null, null),
                TestInstances.instance(TestInstances.DEFINITION, WorkflowStatus.RUNNABLE, NOW, null, null),
                TestInstances.instance(TestInstances.DEFINITION, WorkflowStatus.SUSPENDED, NOW, null, null),
                TestInstances.instance(TestInstances.OTHER_DEFINITION, WorkflowStatus.RUNNABLE, NOW, null, null),
                TestInstances.finished(NOW)).forEach(store::create);

        Map<WorkflowStatus, Long> counts = store.countByStatus(new InstanceFilter(WorkflowStatus.FAILED, new WorkflowId("test", "Flow"), null, null, 0, 1));

        assertThat(counts.getOrDefault(WorkflowStatus.RUNNABLE, 0L)).isEqualTo(2);
        assertThat(counts.getOrDefault(WorkflowStatus.SUSPENDED, 0L)).isEqualTo(1);
        assertThat(counts.getOrDefault(WorkflowStatus.COMPLETE, 0L)).isEqualTo(1);
        assertThat(counts.getOrDefault(WorkflowStatus.FAILED, 0L)).isZero();
    }
}
