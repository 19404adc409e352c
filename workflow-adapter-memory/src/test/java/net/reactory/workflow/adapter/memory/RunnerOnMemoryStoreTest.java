package net.reactory.workflow.adapter.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import net.reactory.workflow.application.port.in.RunnerNotInitializedException;
import net.reactory.workflow.application.port.in.RunnerState;
import net.reactory.workflow.application.port.in.WorkflowNotFoundException;
import net.reactory.workflow.application.port.out.CreateResult;
import net.reactory.workflow.application.port.in.InstanceFilter;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.port.out.StoreUnavailableException;
import net.reactory.workflow.application.service.RunnerConfig;
import net.reactory.workflow.application.service.SettableClock;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.definition.InvalidWorkflowException;
import net.reactory.workflow.domain.instance.Lease;
import net.reactory.workflow.domain.step.StepBody;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/** The behaviour of the original runner module, and the foundation's execution model, on the embedded store. */
class RunnerOnMemoryStoreTest {

    private static final StepBody NOOP = ctx -> ExecutionResult.next();
    private static final Workflow GREET = Workflow.of("demo", "Greet", "1.0.0", steps -> steps.startWith("Hello", NOOP).then("Bye", NOOP));

    private final List<WorkflowRunnerService> runners = new ArrayList<>();

    @AfterEach
    void stopRunners() {
        runners.forEach(r -> r.stop().join());
    }

    private WorkflowRunnerService runner(InstanceStore store, Workflow... workflows) {
        WorkflowRunnerService runner = WorkflowRunnerService.builder()
                .config(RunnerConfig.defaults().withPollInterval(Duration.ofHours(1)))
                .store(store)
                .eventStore(new MemoryEventStore())
                .workflows(List.of(workflows))
                .build();
        runners.add(runner);
        return runner;
    }

    @Test
    void givenWorkflowsAtConstruction_whenNotYetInitialized_thenRunnerHoldsThemAndIsNotInitialized() {
        WorkflowRunnerService runner = runner(new MemoryInstanceStore(), GREET);

        RunnerState state = runner.getState();

        assertThat(state.workflows()).containsExactly(GREET);
        assertThat(state.initialized()).isFalse();
        assertThat(runner.isInitialized()).isFalse();
    }

    @Test
    void givenAutoStartWorkflow_whenInitializedTwice_thenStartedOnce() {
        AtomicInteger runs = new AtomicInteger();
        Workflow auto = Workflow.of("demo", "Auto", "1.0.0", steps -> steps.startWith("Count", ctx -> {
            runs.incrementAndGet();
            return ExecutionResult.next();
        })).withAutoStart(true);
        MemoryInstanceStore store = new MemoryInstanceStore();
        WorkflowRunnerService runner = runner(store, auto);

        CompletableFuture<Void> first = runner.initialize();
        CompletableFuture<Void> second = runner.initialize();
        first.join();
        second.join();

        assertThat(second).isSameAs(first);
        assertThat(runner.isInitialized()).isTrue();
        List<WorkflowInstance> started = store.query(InstanceFilter.all(10));
        assertThat(started).hasSize(1);
        WorkflowInstance done = runner.awaitFinished(started.get(0).id()).join();
        assertThat(done.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(((Map<?, ?>) done.data()).containsKey("when")).isTrue();
        assertThat(runs).hasValue(1);
    }

    @Test
    void givenAutoStartThatCannotBeStored_whenInitialized_thenInitializeFailsAndRunnerIsNotInitialized() {
        InstanceStore broken = new FailingCreateStore();
        WorkflowRunnerService runner = runner(broken, GREET.withAutoStart(true));

        ExecutionException error = catchThrowableOfType(ExecutionException.class, () -> runner.initialize().get(10, TimeUnit.SECONDS));

        assertThat(error).hasCauseInstanceOf(StoreUnavailableException.class);
        assertThat(runner.isInitialized()).isFalse();
        assertThatThrownBy(() -> runner.startWorkflow("demo.Greet", null, Map.of())).isInstanceOf(RunnerNotInitializedException.class);
    }

    @Test
    void givenInvalidWorkflow_whenRegistered_thenTypedErrorListsEveryProblemAndNothingIsRegistered() {
        WorkflowRunnerService runner = runner(new MemoryInstanceStore());
        runner.initialize().join();
        Workflow invalid = Workflow.of("demo", "Broken", "one", steps -> steps.startWith("A", NOOP).goTo("Nowhere").step("Lost", NOOP));

        InvalidWorkflowException error = catchThrowableOfType(InvalidWorkflowException.class, () -> runner.registerWorkflow(invalid));

        assertThat(error.problems()).hasSize(3)
                .anySatisfy(p -> assertThat(p).contains("version 'one'"))
                .anySatisfy(p -> assertThat(p).contains("unknown step 'Nowhere'"))
                .anySatisfy(p -> assertThat(p).contains("'Lost' can never be reached"));
        assertThat(runner.getState().workflows()).isEmpty();
    }

    @Test
    void givenRunnerNotInitialized_whenRegisteringOrStarting_thenClearErrorSaysToInitialize() {
        WorkflowRunnerService runner = runner(new MemoryInstanceStore(), GREET);

        assertThatThrownBy(() -> runner.registerWorkflow(GREET)).isInstanceOf(RunnerNotInitializedException.class)
                .hasMessageContaining("registerWorkflow").hasMessageContaining("initialize()");
        assertThatThrownBy(() -> runner.startWorkflow("demo.Greet", "1.0.0", Map.of())).isInstanceOf(RunnerNotInitializedException.class)
                .hasMessageContaining("startWorkflow");
    }

    @Test
    void givenUnknownIdOrVersion_whenStarted_thenTypedNotFoundErrorNamingIt() {
        WorkflowRunnerService runner = runner(new MemoryInstanceStore(), GREET);
        runner.initialize().join();

        assertThatThrownBy(() -> runner.startWorkflow("demo.Nope", null, Map.of())).isInstanceOf(WorkflowNotFoundException.class)
                .hasMessageContaining("demo.Nope");
        assertThatThrownBy(() -> runner.startWorkflow("demo.Greet", "9.9.9", Map.of())).isInstanceOf(WorkflowNotFoundException.class)
                .hasMessageContaining("demo.Greet@9.9.9").hasMessageContaining("1.0.0");
    }

    @Test
    void givenIdWithVersionSuffix_whenStarted_thenThatVersionRuns() {
        WorkflowRunnerService runner = runner(new MemoryInstanceStore(), GREET);
        runner.initialize().join();

        String id = runner.startWorkflow("demo.Greet@1.0.0", null, Map.of()).join();

        assertThat(runner.awaitFinished(id).join().definition().toString()).isEqualTo("demo.Greet@1.0.0");
    }

    @Test
    void givenStateSnapshot_whenMoreWorkflowsRegistered_thenSnapshotUnchangedAndUnmodifiable() {
        WorkflowRunnerService runner = runner(new MemoryInstanceStore(), GREET);
        runner.initialize().join();
        RunnerState before = runner.getState();

        runner.registerWorkflow(Workflow.of("demo", "Later", "1.0.0", steps -> steps.startWith("X", NOOP)));

        assertThat(before.workflows()).containsExactly(GREET);
        assertThat(runner.getState().workflows()).hasSize(2);
        assertThatThrownBy(() -> before.workflows().add(GREET)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void givenStoppedRunner_whenInspected_thenNotInitializedAndNoRunnerThreadAlive() {
        WorkflowRunnerService runner = runner(new MemoryInstanceStore(), GREET);
        runner.initialize().join();
        String id = runner.startWorkflow("demo.Greet", null, Map.of()).join();
        runner.awaitFinished(id).join();

        runner.stop().join();

        assertThat(runner.isInitialized()).isFalse();
        assertThat(runner.getState().running()).isZero();
        assertThat(Thread.getAllStackTraces().keySet()).noneSatisfy(t ->
                assertThat(t.getName().startsWith("workflow-") && t.isAlive() && t != Thread.currentThread()).isTrue());
    }

    @Test
    void givenThousandInstancesWhereEveryTenthThrows_whenRun_then900CompleteAnd100CarryTheErrorAndRunnerGoesOn() {
        Workflow flaky = Workflow.of("demo", "Flaky", "1.0.0", steps -> steps
                .startWith("Maybe", ctx -> {
                    if (((Integer) ((Map<?, ?>) ctx.data()).get("n")) % 10 == 0) throw new IllegalStateException("unlucky " + ctx.instanceId());
                    return ExecutionResult.next();
                })
                .then("Done", NOOP));
        WorkflowRunnerService runner = runner(new MemoryInstanceStore(), flaky, GREET);
        runner.initialize().join();

        List<CompletableFuture<WorkflowInstance>> finished = new ArrayList<>();
        for (int n = 0; n < 1000; n++) {
            String id = runner.startWorkflow("demo.Flaky", null, Map.of("n", n)).join();
            finished.add(runner.awaitFinished(id));
        }
        List<WorkflowInstance> all = finished.stream().map(f -> f.orTimeout(30, TimeUnit.SECONDS).join()).toList();

        assertThat(all).filteredOn(i -> i.status() == WorkflowStatus.COMPLETE).hasSize(900);
        List<WorkflowInstance> failed = all.stream().filter(i -> i.status() == WorkflowStatus.FAILED).toList();
        assertThat(failed).hasSize(100).allSatisfy(i -> {
            assertThat(i.lastError().type()).isEqualTo(IllegalStateException.class.getName());
            assertThat(i.lastError().message()).isEqualTo("unlucky " + i.id());
            assertThat(i.lastError().step()).isEqualTo("Maybe");
        });
        String after = runner.startWorkflow("demo.Greet", null, Map.of()).join();
        assertThat(runner.awaitFinished(after).orTimeout(10, TimeUnit.SECONDS).join().status()).isEqualTo(WorkflowStatus.COMPLETE);
    }

    @Test
    void givenPollerThatNeverTicks_whenInstanceStarted_thenAllItsStepsRunAtOnce() {
        WorkflowRunnerService runner = runner(new MemoryInstanceStore(),
                Workflow.of("demo", "Ten", "1.0.0", steps -> {
                    steps.startWith("S0", NOOP);
                    for (int i = 1; i < 10; i++) steps.then("S" + i, NOOP);
                }));
        runner.initialize().join();

        String id = runner.startWorkflow("demo.Ten", null, Map.of()).join();

        WorkflowInstance done = runner.awaitFinished(id).orTimeout(10, TimeUnit.SECONDS).join();
        assertThat(done.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(done.revision()).isEqualTo(11);
        assertThat(done.lease()).isNull();
    }

    @Test
    void givenNodeThatDiedHoldingALease_whenLeaseExpires_thenAnotherNodeClaimsAndCompletesIt() {
        SettableClock clock = new SettableClock(Instant.parse("2026-05-01T00:00:00Z"));
        MemoryInstanceStore store = new MemoryInstanceStore();
        WorkflowRunnerService survivor = WorkflowRunnerService.builder()
                .config(RunnerConfig.defaults().withPollInterval(Duration.ofHours(1)).withLeaseDuration(Duration.ofSeconds(30)))
                .store(store).eventStore(new MemoryEventStore()).clock(clock).workflow(GREET).build();
        runners.add(survivor);
        survivor.initialize().join();
        // What a crashed node leaves behind: a runnable instance under its lease.
        WorkflowInstance orphan = new WorkflowInstance("orphan", net.reactory.workflow.domain.definition.DefinitionKey.parse("demo.Greet@1.0.0"),
                WorkflowStatus.RUNNABLE, Map.of(), List.of(net.reactory.workflow.domain.instance.ExecutionPointer.first(0, 0)), 1,
                clock.instant(), 1, null, clock.instant(), clock.instant(), null,
                new Lease("dead-node", clock.instant().plusSeconds(30)), List.of());
        assertThat(store.create(orphan)).isInstanceOf(CreateResult.Created.class);

        assertThat(survivor.pollNow()).isZero();
        clock.advance(Duration.ofSeconds(31));
        assertThat(survivor.pollNow()).isEqualTo(1);

        WorkflowInstance done = survivor.awaitFinished("orphan").orTimeout(10, TimeUnit.SECONDS).join();
        assertThat(done.status()).isEqualTo(WorkflowStatus.COMPLETE);
    }

    /** A store whose creates fail, as when the database is down. */
    private static final class FailingCreateStore implements InstanceStore {
        private final MemoryInstanceStore delegate = new MemoryInstanceStore();

        @Override public CreateResult create(WorkflowInstance instance, List<net.reactory.workflow.domain.instance.WorkflowEvent> c) {
            throw new StoreUnavailableException("store is down", null);
        }
        @Override public java.util.Optional<WorkflowInstance> load(String id) { return delegate.load(id); }
        @Override public java.util.Optional<WorkflowInstance> findByReference(net.reactory.workflow.domain.definition.WorkflowId w, String r) {
            return delegate.findByReference(w, r);
        }
        @Override public boolean save(WorkflowInstance i, long r, List<net.reactory.workflow.domain.instance.WorkflowEvent> c) { return delegate.save(i, r, c); }
        @Override public List<WorkflowInstance> claimDue(String o, Instant n, Instant u, int l) { return delegate.claimDue(o, n, u, l); }
        @Override public java.util.Optional<WorkflowInstance> claim(String id, String o, Instant n, Instant u) { return delegate.claim(id, o, n, u); }
        @Override public boolean renewLease(String id, String o, long r, Instant u) { return delegate.renewLease(id, o, r, u); }
        @Override public boolean releaseLease(String id, String o, long r) { return delegate.releaseLease(id, o, r); }
        @Override public List<WorkflowInstance> query(InstanceFilter q) { return delegate.query(q); }
        @Override public java.util.Map<net.reactory.workflow.domain.instance.WorkflowStatus, Long> countByStatus(InstanceFilter q) { return delegate.countByStatus(q); }
        @Override public java.util.Optional<net.reactory.workflow.application.port.out.HistoryPage> history(String id, long a, int l) {
            return delegate.history(id, a, l);
        }
        @Override public long purgeFinishedBefore(Instant cutoff) { return delegate.purgeFinishedBefore(cutoff); }
    }
}
