package net.reactory.workflow.adapter.memory.language;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.application.port.in.DuplicateWorkflowException;
import net.reactory.workflow.application.service.RunnerConfig;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.domain.definition.ErrorBehaviour;
import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.language.WorkflowBuilder;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/** One end-to-end test per construct, on the memory stores, with the settable clock: no wall-clock waits. */
class LanguageEndToEndTest extends LanguageFixture {

    /** Typed, immutable workflow data. */
    record Trip(int n, List<String> log) {
        Trip {
            log = List.copyOf(log);
        }

        static Trip empty() {
            return new Trip(0, List.of());
        }

        Trip plus(int by) {
            return new Trip(n + by, log);
        }

        Trip note(String entry) {
            List<String> more = new ArrayList<>(log);
            more.add(entry);
            return new Trip(n, more);
        }
    }

    private static WorkflowBuilder<Trip> flow(String name) {
        return WorkflowBuilder.define("e2e", name, "1.0.0", Trip.class);
    }

    private WorkflowInstance run(Workflow workflow, Trip data) {
        WorkflowRunnerService runner = runner(workflow);
        String id = start(runner, "e2e." + workflow.name(), data);
        return awaitFinished(runner, id);
    }

    private static Trip trip(WorkflowInstance i) {
        return (Trip) i.data();
    }

    @Test
    void givenTypedSteps_whenRun_thenTheFinalDataIsTheLastReturnedAndTheStartDataUntouched() {
        Trip start = Trip.empty();
        WorkflowInstance done = run(flow("Typed").startWith("a", t -> t.plus(1)).then("b", t -> t.plus(1).note("b"))
                .then("c", Trip::n, (Integer n) -> n * 100, (t, r) -> t.note("c" + r)).build(), start);

        assertThat(done.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(trip(done)).isEqualTo(new Trip(2, List.of("b", "c200")));
        assertThat(start).isEqualTo(Trip.empty());
    }

    @Test
    void givenDecideAndIf_whenRun_thenOnlyTheChosenBranchesRun() {
        WorkflowInstance done = run(flow("Decide")
                .decide("route", t -> t.n() > 1 ? "many" : "few", d -> d
                        .when("many", f -> f.then("many", t -> t.note("many")))
                        .when("few", f -> f.then("few", t -> t.note("few"))))
                .ifThen("check", t -> t.log().contains("many"), f -> f.then("yes", t -> t.note("if")))
                .then("after", t -> t.note("after"))
                .build(), Trip.empty().plus(2));

        assertThat(trip(done).log()).containsExactly("many", "if", "after");
    }

    @Test
    void givenWhileLoop_when100000Iterations_thenTheInstanceHasNoMorePointersThanAfter100() {
        Workflow loop = flow("Loop")
                .whileDo("loop", t -> t.n() < limit(t), f -> f.then("inc", t -> t.plus(1)))
                .waitFor("park", "loop.done", t -> String.valueOf(limit(t)), (t, e) -> t)
                .build();
        WorkflowRunnerService runner = runner(RunnerConfig.defaults().withPollInterval(Duration.ofHours(1))
                .withDurability(RunnerConfig.Durability.BURST), loop);

        String hundred = start(runner, "e2e.Loop", new Trip(0, List.of("100")));
        String hundredThousand = start(runner, "e2e.Loop", new Trip(0, List.of("100000")));
        WorkflowInstance small = awaitInstance(hundred, i -> i.pointers().stream().anyMatch(p -> p.isWaiting()));
        WorkflowInstance large = awaitInstance(hundredThousand, i -> i.pointers().stream().anyMatch(p -> p.isWaiting()));

        assertThat(trip(large).n()).isEqualTo(100_000);
        assertThat(large.pointers()).hasSameSizeAs(small.pointers()).hasSize(1);
        assertThat(large.errors()).isEmpty();
    }

    private static int limit(Trip t) {
        return Integer.parseInt(t.log().get(0));
    }

    @Test
    void givenForEachSequentialAndParallel_whenRun_thenEveryItemRunsOnce() {
        WorkflowInstance done = run(flow("ForEach")
                .forEach("seq", t -> List.of("a", "b", "c"), f -> f.then("visit", (t, ctx) -> ExecutionResult.next(t.note("s" + ctx.item()))))
                .forEach("par", t -> List.of(1, 2, 3, 4, 5), 2, f -> f.then("add", (t, ctx) -> ExecutionResult.next(t.plus((Integer) ctx.item()))))
                .build(), Trip.empty());

        assertThat(trip(done).log()).containsExactly("sa", "sb", "sc");
        assertThat(trip(done).n()).isEqualTo(15);
    }

    @Test
    void givenParallelBranches_whenOneWaitsForAnEvent_thenTheJoinWaitsForItToo() {
        WorkflowRunnerService runner = runner(flow("Par")
                .parallel("fork",
                        a -> a.waitFor("approval", "approved", t -> "p1", (t, e) -> t.note("approved")),
                        b -> b.then("quick", t -> t.note("quick")))
                .then("join", t -> t.note("join"))
                .build());
        String id = start(runner, "e2e.Par", Trip.empty());

        WorkflowInstance parked = awaitParked(id);
        assertThat(trip(parked).log()).containsExactly("quick");
        runner.publishEvent("approved", "p1", null, null).join();

        assertThat(trip(awaitFinished(runner, id)).log()).containsExactly("quick", "approved", "join");
    }

    @Test
    void givenDelay_whenClockMoves_thenTheStepAfterItRunsOnlyOnceTheDelayHasPassed() {
        WorkflowRunnerService runner = runner(flow("Delay").delay("pause", Duration.ofMinutes(30)).then("after", t -> t.note("after")).build());
        String id = start(runner, "e2e.Delay", Trip.empty());
        awaitParked(id);

        advance(runner, Duration.ofMinutes(29));
        assertThat(awaitParked(id).status()).isEqualTo(WorkflowStatus.RUNNABLE);
        advance(runner, Duration.ofMinutes(1));

        assertThat(trip(awaitFinished(runner, id)).log()).containsExactly("after");
    }

    @Test
    void givenScheduleAndRecur_whenClockMoves_thenBlocksRunInTheBackgroundAtTheirTimes() {
        WorkflowRunnerService runner = runner(flow("Timers")
                .schedule("remind", t -> Duration.ofHours(1), f -> f.then("reminder", t -> t.note("reminder")))
                .recur("tick", t -> Duration.ofMinutes(20), t -> t.n() >= 2, f -> f.then("count", t -> t.plus(1)))
                .then("main", t -> t.note("main"))
                .build());
        String id = start(runner, "e2e.Timers", Trip.empty());
        assertThat(awaitInstance(id, i -> trip(i).n() == 1 && i.nextExecution() != null && i.nextExecution().isAfter(clock.instant())))
                .as("recur runs its block at once").satisfies(i -> assertThat(trip(i).log()).containsExactly("main"));

        advance(runner, Duration.ofMinutes(20));
        assertThat(trip(awaitInstance(id, i -> trip(i).n() == 2)).log()).containsExactly("main");
        advance(runner, Duration.ofMinutes(40));

        WorkflowInstance done = awaitFinished(runner, id);
        assertThat(trip(done).log()).containsExactly("main", "reminder");
        assertThat(trip(done).n()).isEqualTo(2);
    }

    @Test
    void givenSagaWhoseThirdStepFails_whenRun_thenStepsTwoAndOneAreCompensatedInThatOrderAndTheWorkflowFails() {
        WorkflowInstance done = run(flow("Saga")
                .saga("booking", s -> s
                        .startWith("flight", t -> t.note("flight")).compensateWith("cancelFlight", t -> t.note("cancel flight"))
                        .then("hotel", t -> t.note("hotel")).compensateWith("cancelHotel", t -> t.note("cancel hotel"))
                        .then("car", (t, ctx) -> {
                            throw new IllegalStateException("no cars left");
                        }))
                .then("never", t -> t.note("never"))
                .build(), Trip.empty());

        assertThat(done.status()).isEqualTo(WorkflowStatus.FAILED);
        assertThat(trip(done).log()).containsExactly("flight", "hotel", "cancel hotel", "cancel flight");
        assertThat(changesOf(done.id(), WorkflowEvent.StepCompleted.class)).extracting(WorkflowEvent.StepCompleted::step)
                .containsSubsequence("cancelHotel", "cancelFlight");
    }

    @Test
    void givenChildWorkflow_whenChildCompletes_thenItsResultReachesTheParent() {
        Workflow child = flow("Child").startWith("double", t -> t.plus(t.n())).build();
        Workflow parent = flow("Parent")
                .startWith("prepare", t -> t.plus(21))
                .child("call", "e2e.Child", t -> new Trip(t.n(), List.of()), (t, result) -> t.note("child said " + ((Trip) result).n()))
                .build();
        WorkflowRunnerService runner = runner(child, parent);

        WorkflowInstance done = awaitFinished(runner, start(runner, "e2e.Parent", Trip.empty()));

        assertThat(done.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(trip(done).log()).containsExactly("child said 42");
    }

    @Test
    void givenFailingChild_whenParentSaysFailOrCompensate_thenTheParentFailsOrIsCompensated() {
        Workflow child = flow("BadChild").startWith("boom", (t, ctx) -> ExecutionResult.fail("Boom", "child broke")).build();
        Workflow failing = flow("FailParent").child("call", "e2e.BadChild", t -> t, (t, r) -> t).build();
        Workflow compensating = flow("SagaParent")
                .saga("tx", s -> s
                        .startWith("reserve", t -> t.note("reserved")).compensateWith("release", t -> t.note("released"))
                        .child("call", "e2e.BadChild", t -> t, (t, r) -> t))
                .build();
        WorkflowRunnerService runner = runner(child, failing, compensating);

        WorkflowInstance failed = awaitFinished(runner, start(runner, "e2e.FailParent", Trip.empty()));
        WorkflowInstance compensated = awaitFinished(runner, start(runner, "e2e.SagaParent", Trip.empty()));

        assertThat(failed.status()).isEqualTo(WorkflowStatus.FAILED);
        assertThat(failed.errors()).anySatisfy(e -> assertThat(e.message()).contains("child broke"));
        assertThat(compensated.status()).isEqualTo(WorkflowStatus.FAILED);
        assertThat(trip(compensated).log()).containsExactly("reserved", "released");
    }

    @Test
    void givenRunningChild_whenTheParentIsTerminated_thenTheChildIsTerminatedToo() {
        Workflow child = flow("SlowChild").waitFor("hold", "never", t -> "k", (t, e) -> t).build();
        Workflow parent = flow("BusyParent").child("call", "e2e.SlowChild", t -> t, (t, r) -> t).build();
        WorkflowRunnerService runner = runner(child, parent);
        String parentId = start(runner, "e2e.BusyParent", Trip.empty());
        awaitParked(parentId);
        WorkflowInstance running = store.query(new net.reactory.workflow.application.port.in.InstanceFilter(null,
                net.reactory.workflow.domain.definition.WorkflowId.parse("e2e.SlowChild"), null, null, 0, 10)).get(0);
        awaitParked(running.id());
        // Completes after the child's finish was handled (its result published, or not): see WorkflowLanguage.saved.
        var childFinished = runner.awaitFinished(running.id());

        runner.terminate(parentId, "no longer wanted").join();

        WorkflowInstance terminatedChild = childFinished.orTimeout(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).join();
        assertThat(terminatedChild.status()).isEqualTo(WorkflowStatus.TERMINATED);
        assertThat(terminatedChild.reference()).startsWith("child:" + parentId);
        assertThat(stored(parentId).status()).isEqualTo(WorkflowStatus.TERMINATED);
        assertThat(events.pendingEvents(net.reactory.workflow.domain.instance.ChildResult.EVENT_NAME, terminatedChild.reference(), null))
                .as("no result left pending for a parent that waits no more").isEmpty();
    }

    @Test
    void givenFinishedChild_whenTheParentIsTerminatedLater_thenTheChildIsLeftAsItEnded() {
        Workflow child = flow("QuickChild").startWith("done", t -> t.note("child done")).build();
        Workflow parent = flow("LateParent")
                .child("call", "e2e.QuickChild", t -> t, (t, r) -> t)
                .waitFor("hold", "never", t -> "k", (t, e) -> t)
                .build();
        WorkflowRunnerService runner = runner(child, parent);
        String parentId = start(runner, "e2e.LateParent", Trip.empty());
        WorkflowInstance parked = awaitInstance(parentId, i -> i.pointers().stream().anyMatch(p -> p.waitingFor() != null
                && p.waitingFor().name().equals("never")));

        runner.terminate(parked.id(), "no longer wanted").join();

        WorkflowInstance finishedChild = store.query(new net.reactory.workflow.application.port.in.InstanceFilter(null,
                net.reactory.workflow.domain.definition.WorkflowId.parse("e2e.QuickChild"), null, null, 0, 10)).get(0);
        assertThat(finishedChild.status()).isEqualTo(WorkflowStatus.COMPLETE);
    }

    @Test
    void givenUnknownChildWorkflow_whenStarted_thenTheParentStepFailsInsteadOfWaitingForever() {
        WorkflowInstance done = run(flow("Orphan").child("call", "e2e.Nobody", t -> t, (t, r) -> t).build(), Trip.empty());

        assertThat(done.status()).isEqualTo(WorkflowStatus.FAILED);
        assertThat(done.lastError().type()).isEqualTo("ChildWorkflowFailed");
    }

    @Test
    void givenTwoVersions_whenInstancesOfEachRun_thenEachFinishesOnItsOwnVersion() {
        Workflow v1 = WorkflowBuilder.define("e2e", "Versioned", "1.0.0", Trip.class)
                .waitFor("wait", "go", t -> t.log().get(0), (t, e) -> t).then("mark", t -> t.note("v1")).build();
        Workflow v2 = WorkflowBuilder.define("e2e", "Versioned", "2.0.0", Trip.class)
                .waitFor("wait", "go", t -> t.log().get(0), (t, e) -> t).then("mark", t -> t.note("v2")).then("extra", t -> t.note("v2 extra")).build();
        WorkflowRunnerService runner = runner(v1);
        String old = runner.startWorkflow("e2e.Versioned", null, new Trip(0, List.of("a"))).join();
        awaitParked(old);
        runner.registerWorkflow(v2);
        String newest = runner.startWorkflow("e2e.Versioned", null, new Trip(0, List.of("b"))).join();
        String pinned = runner.startWorkflow("e2e.Versioned", "1.0.0", new Trip(0, List.of("c"))).join();
        awaitParked(newest);
        awaitParked(pinned);

        for (String key : List.of("a", "b", "c")) runner.publishEvent("go", key, null, null).join();

        assertThat(trip(awaitFinished(runner, old)).log()).containsExactly("a", "v1");
        assertThat(trip(awaitFinished(runner, newest)).log()).containsExactly("b", "v2", "v2 extra");
        assertThat(trip(awaitFinished(runner, pinned)).log()).containsExactly("c", "v1");
        assertThat(stored(old).definition().version().toString()).isEqualTo("1.0.0");
        assertThat(stored(newest).definition().version().toString()).isEqualTo("2.0.0");
        assertThatThrownBy(() -> runner.registerWorkflow(v2)).isInstanceOf(DuplicateWorkflowException.class);
    }

    @Test
    void givenEnd_whenReached_thenTheWorkflowCompletesWithoutTheStepsAfterIt() {
        WorkflowInstance done = run(flow("End")
                .ifThen("stop?", t -> true, f -> f.then("stopping", t -> t.note("stopping")).end())
                .then("never", t -> t.note("never"))
                .build(), Trip.empty());

        assertThat(done.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(trip(done).log()).containsExactly("stopping");
    }

    @Test
    void givenErrorBehaviourOnAStep_whenItFails_thenTheDefinitionDecides() {
        WorkflowInstance done = run(flow("Terminate").startWith("x", (t, ctx) -> ExecutionResult.fail("X", "x"))
                .onError(ErrorBehaviour.TERMINATE).build(), Trip.empty());

        assertThat(done.status()).isEqualTo(WorkflowStatus.TERMINATED);
    }
}
