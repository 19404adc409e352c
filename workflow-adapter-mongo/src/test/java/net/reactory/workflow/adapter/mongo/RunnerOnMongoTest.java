package net.reactory.workflow.adapter.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import net.reactory.workflow.adapter.mongo.ThreeSteps.Counts;
import net.reactory.workflow.application.port.in.InstanceFilter;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.port.out.StoreUnavailableException;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.domain.definition.DefinitionKey;
import net.reactory.workflow.domain.instance.ExecutionPointer;
import net.reactory.workflow.domain.step.StepBody;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/** Runners on MongoDB: several nodes on one database (acceptance 2) and lease takeover (acceptance 3). */
class RunnerOnMongoTest {

    private static final int INSTANCES = 10_000;
    private static final int HELD = 2;
    private static final int RUNNING = 256;

    private final ThreeSteps flow = new ThreeSteps();

    @AfterEach
    void stop() {
        flow.stopAll();
    }

    @Test
    void givenTwoRunnersOnOneDatabase_whenTenThousandThreeStepInstancesStartedThroughBoth_thenAllCompleteWithEveryCommitExactlyOnce() {
        MongoInstanceStore store = new MongoInstanceStore(TestMongo.freshDatabase()).createIndexes();
        // Step B of a few "held" instances waits, on its first execution only, until another node has taken the
        // instance over (its lease expired): the first node's commit is then stale and must be rejected.
        Set<String> heldOnce = ConcurrentHashMap.newKeySet();
        StepBody countingB = flow.countingB();
        StepBody middle = ctx -> {
            Counts c = ctx.data(Counts.class);
            if (c.hold() && heldOnce.add(ctx.instanceId())) {
                String owner = store.load(ctx.instanceId()).orElseThrow().lease().owner();
                await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(50))
                        .until(() -> !owner.equals(ownerOf(store, ctx.instanceId())));
            }
            return countingB.run(ctx);
        };
        // A node holding a held instance cannot renew its lease, as if cut off from the database for renewals
        // (a long GC pause, a partition): its lease expires and the other node takes the instance over.
        WorkflowRunnerService one = flow.runner(renewalsLostFor(store, heldOnce), "node-1", Duration.ofSeconds(2), Duration.ofMillis(500), middle);
        WorkflowRunnerService two = flow.runner(renewalsLostFor(store, heldOnce), "node-2", Duration.ofSeconds(2), Duration.ofMillis(500), middle);

        // At most RUNNING instances in flight at once, as a client with back-pressure would start them.
        Semaphore running = new Semaphore(RUNNING);
        flow.onCompleted(running::release);
        long began = System.nanoTime();
        List<CompletableFuture<String>> started = new ArrayList<>(INSTANCES);
        for (int i = 0; i < INSTANCES; i++) {
            running.acquireUninterruptibly();
            WorkflowRunnerService through = i % 2 == 0 ? one : two;
            started.add(through.startWorkflow(ThreeSteps.ID, "1.0.0", Counts.zero(i < HELD)));
        }
        Set<String> ids = ConcurrentHashMap.newKeySet();
        started.forEach(f -> ids.add(f.join()));

        await().atMost(4, TimeUnit.MINUTES).pollInterval(Duration.ofMillis(250)).until(() -> flow.completed.size() >= INSTANCES);
        long millis = Duration.ofNanos(System.nanoTime() - began).toMillis();
        System.out.printf("two runners, one database: %d three-step instances in %d ms (%.0f instances/s), %d stale writes rejected%n",
                INSTANCES, millis, INSTANCES * 1000.0 / millis, flow.staleWrites.get());

        assertThat(ids).hasSize(INSTANCES);
        assertThat(flow.completed).isEqualTo(ids);
        List<WorkflowInstance> done = new ArrayList<>();
        for (int offset = 0; offset < INSTANCES; offset += 2_000) {
            done.addAll(store.query(new InstanceFilter(null, null, null, null, offset, 2_000)));
        }
        assertThat(done).hasSize(INSTANCES).allSatisfy(i -> {
            assertThat(i.status()).isEqualTo(WorkflowStatus.COMPLETE);
            assertThat(i.data()).isInstanceOf(Counts.class);
            Counts c = (Counts) i.data();
            assertThat(List.of(c.a(), c.b(), c.c())).as("commits per step of %s", i.id()).containsExactly(1, 1, 1);
        });
        assertThat(flow.staleWrites.get()).as("stale writes rejected and handled").isGreaterThanOrEqualTo(HELD);
        assertThat(flow.executed("B")).as("step B bodies: the held ones ran twice").isGreaterThanOrEqualTo(INSTANCES + HELD);
        assertThat(heldOnce).hasSize(HELD);
    }

    /** The store, except that renewing the lease of any instance in {@code cutOff} fails as if the database were unreachable. */
    private static InstanceStore renewalsLostFor(InstanceStore store, Set<String> cutOff) {
        return (InstanceStore) Proxy.newProxyInstance(InstanceStore.class.getClassLoader(), new Class<?>[] {InstanceStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("renewLease") && cutOff.contains((String) args[0])) {
                        throw new StoreUnavailableException("renewal lost (test)", null);
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static String ownerOf(MongoInstanceStore store, String id) {
        WorkflowInstance i = store.load(id).orElseThrow();
        return i.lease() == null ? "" : i.lease().owner();
    }

    @Test
    void givenRunnerKilledBetweenClaimAndCommit_whenItsLeaseExpires_thenAnotherRunnerTakesOverAndCompletes() {
        MongoInstanceStore store = new MongoInstanceStore(TestMongo.freshDatabase()).createIndexes();
        Instant now = Instant.now();
        WorkflowInstance created = new WorkflowInstance("killed-" + now.toEpochMilli(), DefinitionKey.of("test", "ThreeSteps", "1.0.0"),
                WorkflowStatus.RUNNABLE, Counts.zero(false), List.of(ExecutionPointer.first(0, 0)), 1, now, 1, null, now, now, null, null, List.of());
        store.create(created);
        // The dead node claimed it, then died before committing anything: its lease is simply abandoned.
        WorkflowInstance abandoned = store.claim(created.id(), "dead-node", now, now.plusSeconds(1)).orElseThrow();

        WorkflowRunnerService survivor = flow.runner(store, "survivor", Duration.ofSeconds(30), Duration.ofMillis(100), flow.countingB());
        WorkflowInstance done = survivor.awaitFinished(created.id()).orTimeout(30, TimeUnit.SECONDS).join();

        assertThat(done.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(done.data()).isEqualTo(new Counts(1, 1, 1, false));
        assertThat(store.load(created.id()).orElseThrow().lease()).isNull();
        assertThat(store.save(abandoned.withLease(null), abandoned.revision(), List.of()))
                .as("the dead node's late commit is fenced off").isFalse();
        assertThat(store.load(created.id()).orElseThrow().data()).isEqualTo(new Counts(1, 1, 1, false));
    }

    @Test
    void givenLiveLeaseOfAnotherRunner_whenPollerRuns_thenInstanceIsLeftAlone() {
        MongoInstanceStore store = new MongoInstanceStore(TestMongo.freshDatabase()).createIndexes();
        Instant now = Instant.now();
        WorkflowInstance created = new WorkflowInstance("held-" + now.toEpochMilli(), DefinitionKey.of("test", "ThreeSteps", "1.0.0"),
                WorkflowStatus.RUNNABLE, Counts.zero(false), List.of(ExecutionPointer.first(0, 0)), 1, now, 1, null, now, now, null, null, List.of());
        store.create(created);
        store.claim(created.id(), "busy-node", now, now.plusSeconds(600)).orElseThrow();

        WorkflowRunnerService other = flow.runner(store, "other", Duration.ofSeconds(30), Duration.ofMillis(50), flow.countingB());
        other.pollNow();
        other.pollNow();

        assertThat(flow.executed("A")).isZero();
        assertThat(store.load(created.id()).orElseThrow().lease().owner()).isEqualTo("busy-node");
    }
}
