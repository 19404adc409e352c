package net.reactory.workflow.domain.language;

import net.reactory.workflow.domain.execution.WorkflowTransitions;
import net.reactory.workflow.domain.instance.ReceivedEvent;
import net.reactory.workflow.domain.instance.StepError;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.domain.instance.ChildResult;
import net.reactory.workflow.domain.definition.ErrorBehaviour;
import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.definition.InvalidWorkflowException;
import net.reactory.workflow.domain.definition.StepDefinition;
import net.reactory.workflow.domain.execution.Transition;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.language.WorkflowBuilder;
import net.reactory.workflow.domain.definition.WorkflowDefinition;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/** One test (at least) per construct of the workflow language, on the pure transitions: no threads, no clock. */
class LanguageTransitionsTest {

    /** Typed workflow data: immutable, each step returns a new one. */
    record Tally(int n, List<String> log) {
        Tally {
            log = List.copyOf(log);
        }

        static Tally zero() {
            return new Tally(0, List.of());
        }

        Tally plus(int by) {
            return new Tally(n + by, log);
        }

        Tally note(String entry) {
            List<String> more = new ArrayList<>(log);
            more.add(entry);
            return new Tally(n, more);
        }
    }

    private static WorkflowBuilder<Tally> flow(String name) {
        return WorkflowBuilder.define("lang", name, "1.0.0", Tally.class);
    }

    private static Tally data(Drive d) {
        return (Tally) d.instance.data();
    }

    @Test
    void givenTypedSteps_whenRun_thenEachReturnsNewDataAndTheStartDataIsUntouched() {
        Tally start = Tally.zero();
        Drive d = Drive.start(flow("Typed")
                .startWith("one", t -> t.plus(1))
                .then("two", t -> t.plus(2).note("two"))
                .then("mapped", Tally::n, (Integer n) -> n * 10, (t, tenfold) -> t.note("x" + tenfold))
                .build(), start).runToEnd();

        assertThat(d.instance.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(data(d)).isEqualTo(new Tally(3, List.of("two", "x30")));
        assertThat(start).isEqualTo(Tally.zero());
        assertThat(d.completedSteps()).containsExactly("one", "two", "mapped");
    }

    @Test
    void givenInlineStepsWithoutNames_whenRun_thenTheyRunInOrderNamedByPosition() {
        Drive d = Drive.start(flow("Inline")
                .then(t -> t.plus(1))
                .forEach("each", t -> List.of("x"), f -> f.then((t, ctx) -> ExecutionResult.next(t.note("in " + ctx.item()))))
                .then(t -> t.note("last"))
                .build(), Tally.zero()).runToEnd();

        assertThat(d.completedSteps()).containsExactly("step 1", "step 2", "each", "step 3");
        assertThat(data(d)).isEqualTo(new Tally(1, List.of("in x", "last")));
    }

    @Test
    void givenTwoVersionsOfAWorkflow_whenInstancesStartOnEach_thenEachKeepsItsVersionAndItsGraph() {
        Workflow v1 = WorkflowBuilder.define("lang", "Versioned", "1.0.0", Tally.class).then("one", t -> t.note("v1")).build();
        Workflow v2 = WorkflowBuilder.define("lang", "Versioned", "2.0.0", Tally.class).then("one", t -> t.note("v2")).then("two", t -> t.note("v2+")).build();

        Drive first = Drive.start(v1, Tally.zero()).runToEnd();
        Drive second = Drive.start(v2, Tally.zero()).runToEnd();

        assertThat(first.instance.definition().version().toString()).isEqualTo("1.0.0");
        assertThat(second.instance.definition().version().toString()).isEqualTo("2.0.0");
        assertThat(data(first).log()).containsExactly("v1");
        assertThat(data(second).log()).containsExactly("v2", "v2+");
    }

    @Test
    void givenDecide_whenSelectorPicksABranch_thenOnlyThatBranchRunsThenTheFlowGoesOn() {
        Workflow wf = flow("Decide")
                .startWith("set", t -> t.plus(7))
                .decide("route", t -> t.n() > 5 ? "big" : "small", b -> b
                        .when("big", f -> f.then("bigOne", t -> t.note("big")))
                        .when("small", f -> f.then("smallOne", t -> t.note("small"))))
                .then("after", t -> t.note("after"))
                .build();

        Drive d = Drive.start(wf, Tally.zero()).runToEnd();

        assertThat(d.completedSteps()).containsExactly("set", "route", "bigOne", "after");
        assertThat(data(d).log()).containsExactly("big", "after");
    }

    @Test
    void givenIf_whenConditionFalse_thenBlockSkipped_andWhenTrue_thenBlockRuns() {
        Workflow wf = flow("If")
                .ifThen("positive", t -> t.n() > 0, f -> f.then("inside", t -> t.note("inside")))
                .then("after", t -> t.note("after"))
                .build();

        assertThat(data(Drive.start(wf, Tally.zero()).runToEnd()).log()).containsExactly("after");
        assertThat(data(Drive.start(wf, Tally.zero().plus(1)).runToEnd()).log()).containsExactly("inside", "after");
    }

    @Test
    void givenWhile_whenRun_thenBodyRepeatsUntilConditionFails() {
        Drive d = Drive.start(flow("While")
                .whileDo("loop", t -> t.n() < 5, f -> f.then("inc", t -> t.plus(1)))
                .then("after", t -> t.note("done"))
                .build(), Tally.zero()).runToEnd();

        assertThat(data(d)).isEqualTo(new Tally(5, List.of("done")));
        assertThat(d.completedSteps().stream().filter("inc"::equals)).hasSize(5);
    }

    @Test
    void givenLongWhileLoop_when100000Iterations_thenNoMorePointersThanAfter100() {
        Workflow wf = flow("Long")
                .whileDo("loop", t -> t.n() < 100_000, f -> f.then("inc", t -> t.plus(1)).then("check", t -> t))
                .build();
        Drive hundred = Drive.start(wf, Tally.zero());
        while (data(hundred).n() < 100) hundred.run();
        Drive d = Drive.start(wf, Tally.zero()).runToEnd();

        assertThat(data(d).n()).isEqualTo(100_000);
        assertThat(d.maxLivePointers).isLessThanOrEqualTo(hundred.maxLivePointers).isEqualTo(1);
    }

    @Test
    void givenSequentialForEach_whenRun_thenItemsRunOneAfterTheOtherInOrder() {
        Drive d = Drive.start(flow("ForEach")
                .forEach("each", t -> List.of("a", "b", "c"), f -> f.then("visit", (t, ctx) -> ExecutionResult.next(t.note((String) ctx.item()))))
                .then("after", t -> t.note("after"))
                .build(), Tally.zero()).runToEnd();

        assertThat(data(d).log()).containsExactly("a", "b", "c", "after");
        assertThat(d.maxLivePointers).isEqualTo(2);
    }

    @Test
    void givenParallelForEachOfDegreeTwo_whenItemsWait_thenAtMostTwoRunAtOnceAndAllFinish() {
        Workflow wf = flow("ForEachPar")
                .forEach("each", t -> List.of("a", "b", "c", "d", "e"), 2,
                        f -> f.waitFor("wait", "go", t -> "k", (t, e) -> t).then("visit", (t, ctx) -> ExecutionResult.next(t.note((String) ctx.item()))))
                .build();
        Drive d = Drive.start(wf, Tally.zero()).run();

        int rounds = 0;
        while (d.instance.status() == WorkflowStatus.RUNNABLE) {
            assertThat(d.instance.pointers().stream().filter(p -> p.isWaiting()).count()).isBetween(1L, 2L);
            d.deliver("e" + rounds++, "go", "k", null);
            d.runToEnd();
        }

        assertThat(rounds).isEqualTo(3);
        assertThat(d.instance.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(data(d).log()).containsExactlyInAnyOrder("a", "b", "c", "d", "e");
        assertThat(d.maxLivePointers).isEqualTo(3); // the container and two branches
    }

    @Test
    void givenEmptyForEach_whenRun_thenItGoesOnAtOnce() {
        Drive d = Drive.start(flow("ForEachEmpty")
                .forEach("each", t -> List.of(), 0, f -> f.then("visit", t -> t.note("never")))
                .then("after", t -> t.note("after"))
                .build(), Tally.zero()).runToEnd();

        assertThat(data(d).log()).containsExactly("after");
    }

    @Test
    void givenParallelBranches_whenRun_thenBothRunAndTheFlowJoinsBeforeGoingOn() {
        Drive d = Drive.start(flow("Parallel")
                .parallel("fork",
                        a -> a.then("a1", t -> t.note("a1")).then("a2", t -> t.note("a2")),
                        b -> b.then("b1", t -> t.note("b1")))
                .then("join", t -> t.note("join"))
                .build(), Tally.zero()).runToEnd();

        assertThat(data(d).log()).containsExactlyInAnyOrder("a1", "a2", "b1", "join");
        assertThat(data(d).log().get(3)).isEqualTo("join");
        assertThat(d.maxLivePointers).isEqualTo(3);
    }

    @Test
    void givenDelay_whenTimeHasNotPassed_thenNothingRuns_andAfterwardsTheFlowGoesOn() {
        Drive d = Drive.start(flow("Delay")
                .delay("pause", Duration.ofMinutes(5))
                .then("after", t -> t.note("after"))
                .build(), Tally.zero()).run();

        assertThat(d.instance.nextExecution()).isEqualTo(Drive.T0.plus(Duration.ofMinutes(5)));
        d.advance(Duration.ofMinutes(4)).run();
        assertThat(data(d).log()).isEmpty();
        d.advance(Duration.ofMinutes(1)).run();
        assertThat(data(d).log()).containsExactly("after");
        assertThat(d.instance.status()).isEqualTo(WorkflowStatus.COMPLETE);
    }

    @Test
    void givenSchedule_whenReached_thenTheFlowGoesOnAtOnceAndTheBlockRunsLater() {
        Drive d = Drive.start(flow("Schedule")
                .schedule("later", t -> Duration.ofHours(1), f -> f.then("reminder", t -> t.note("reminder")))
                .then("now", t -> t.note("now"))
                .build(), Tally.zero()).run();

        assertThat(data(d).log()).containsExactly("now");
        assertThat(d.instance.status()).isEqualTo(WorkflowStatus.RUNNABLE);
        d.advance(Duration.ofHours(1)).run();

        assertThat(data(d).log()).containsExactly("now", "reminder");
        assertThat(d.instance.status()).isEqualTo(WorkflowStatus.COMPLETE);
    }

    @Test
    void givenRecur_whenTimePasses_thenBlockRunsAtOnceThenEveryIntervalUntilTheCondition() {
        Drive d = Drive.start(flow("Recur")
                .recur("tick", t -> Duration.ofMinutes(10), t -> t.n() >= 3, f -> f.then("count", t -> t.plus(1)))
                .then("main", t -> t.note("main"))
                .build(), Tally.zero()).run();

        assertThat(data(d).log()).containsExactly("main");
        assertThat(data(d).n()).as("the block runs at once, as workflow-core's Recur").isEqualTo(1);
        for (int i = 2; i <= 3; i++) {
            d.advance(Duration.ofMinutes(9)).run();
            assertThat(data(d).n()).isEqualTo(i - 1);
            d.advance(Duration.ofMinutes(1)).run();
            assertThat(data(d).n()).isEqualTo(i);
        }
        assertThat(d.instance.status()).as("the condition holds after the third run: no further interval").isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(data(d).n()).isEqualTo(3);
    }

    @Test
    void givenRecurWhoseConditionHoldsFromTheStart_whenStarted_thenTheBlockNeverRuns() {
        Drive d = Drive.start(flow("RecurNever")
                .recur("tick", t -> Duration.ofMinutes(10), t -> true, f -> f.then("count", t -> t.plus(1)))
                .then("main", t -> t.note("main"))
                .build(), Tally.zero()).runToEnd();

        assertThat(d.instance.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(data(d)).isEqualTo(new Tally(0, List.of("main")));
    }

    @Test
    void givenWaitForEvent_whenMatchingEventArrives_thenStepGetsItsDataOnce() {
        Drive d = Drive.start(flow("Wait")
                .waitFor("paid", "order.paid", t -> "order-" + t.n(), (t, amount) -> t.note("paid " + amount))
                .build(), Tally.zero()).run();

        assertThat(d.eventsOf(WorkflowEvent.EventAwaited.class)).singleElement()
                .satisfies(e -> assertThat(e.eventKey()).isEqualTo("order-0"));
        assertThat(d.instance.nextExecution()).isNull();
        assertThat(d.deliver("x", "order.paid", "order-1", 10).changes()).isEmpty();
        long revision = d.instance.revision();

        d.deliver("e1", "order.paid", "order-0", 42);
        Transition again = net.reactory.workflow.domain.execution.WorkflowTransitions.eventReceived(d.instance, d.definition, 0,
                new net.reactory.workflow.domain.instance.ReceivedEvent("e1", "order.paid", "order-0", 42, d.now), d.now);
        d.runToEnd();

        assertThat(again.changes()).isEmpty();
        assertThat(d.instance.revision()).isGreaterThan(revision);
        assertThat(data(d).log()).containsExactly("paid 42");
        assertThat(d.eventsOf(WorkflowEvent.EventReceived.class)).hasSize(1);
    }

    @Test
    void givenWaitWithEffectiveDate_whenOlderEventArrives_thenIgnored() {
        Drive d = Drive.start(flow("WaitEffective")
                .waitFor("paid", "p", t -> "k", t -> Drive.T0.plusSeconds(60), (t, e) -> t.note("got"))
                .build(), Tally.zero()).run();

        assertThat(d.deliver("old", "p", "k", null).changes()).isEmpty();
        d.advance(Duration.ofMinutes(2));
        assertThat(d.deliver("new", "p", "k", null).changes()).hasSize(1);
    }

    @Test
    void givenSagaWhoseThirdStepFails_whenRun_thenCompensationsOfStepsTwoAndOneRunInThatOrderAndTheWorkflowFails() {
        Drive d = Drive.start(saga(false), Tally.zero()).runToEnd();

        assertThat(data(d).log()).containsExactly("did 1", "did 2", "undo 2", "undo 1");
        assertThat(d.instance.status()).isEqualTo(WorkflowStatus.FAILED);
        assertThat(d.eventsOf(WorkflowEvent.CompensationStarted.class)).singleElement()
                .satisfies(c -> assertThat(c.owed()).containsExactly("two", "one"));
        assertThat(d.instance.lastError().type()).isEqualTo("SagaCompensated");
    }

    @Test
    void givenSagaThatGoesOnAfterCompensation_whenThirdStepFails_thenCompensatedAndTheFlowContinues() {
        Drive d = Drive.start(saga(true), Tally.zero()).runToEnd();

        assertThat(data(d).log()).containsExactly("did 1", "did 2", "undo 2", "undo 1", "after");
        assertThat(d.instance.status()).isEqualTo(WorkflowStatus.COMPLETE);
    }

    @Test
    void givenCompensationSequence_whenCompensated_thenItsStepsRunInDeclaredOrder() {
        Drive d = Drive.start(flow("SagaSeq")
                .saga("tx", s -> s
                        .startWith("one", t -> t.note("did 1"))
                        .compensateWith(c -> c.then("undo1a", t -> t.note("undo 1a")).then("undo1b", t -> t.note("undo 1b")))
                        .then("boom", t -> {
                            throw new IllegalStateException("boom");
                        }))
                .onError(ErrorBehaviour.TERMINATE)
                .build(), Tally.zero()).runToEnd();

        assertThat(data(d).log()).containsExactly("did 1", "undo 1a", "undo 1b");
        assertThat(d.instance.status()).isEqualTo(WorkflowStatus.TERMINATED);
    }

    private static Workflow saga(boolean goOn) {
        return flow(goOn ? "SagaGoOn" : "Saga")
                .saga("booking", s -> s
                        .startWith("one", t -> t.note("did 1")).compensateWith("undoOne", t -> t.note("undo 1"))
                        .then("two", t -> t.note("did 2")).compensateWith("undoTwo", t -> t.note("undo 2"))
                        .then("three", (t, ctx) -> ExecutionResult.fail("NoSeats", "no seats left"))
                        .then("four", t -> t.note("never")), goOn)
                .then("after", t -> t.note("after"))
                .build();
    }

    @Test
    void givenChildWorkflowStep_whenChildCompletes_thenItsResultReachesTheParent() {
        Drive d = Drive.start(childFlow(ErrorBehaviour.FAIL), Tally.zero()).run();

        WorkflowEvent.ChildWorkflowRequested asked = d.eventsOf(WorkflowEvent.ChildWorkflowRequested.class).get(0);
        assertThat(asked.workflowId()).isEqualTo("lang.Child");
        assertThat(asked.input()).isEqualTo(5);
        assertThat(asked.reference()).isEqualTo(ChildResult.reference("i-1", 1, 1, "lang.Child"));
        assertThat(ChildResult.childWorkflow(asked.reference())).isEqualTo("lang.Child");
        assertThat(ChildResult.parentInstanceId(asked.reference())).isEqualTo("i-1");
        assertThat(ChildResult.childWorkflow("child:i-1/1.1")).as("a reference of the earlier form").isNull();
        d.deliver("c1", ChildResult.EVENT_NAME, asked.reference(), new ChildResult("child-1", WorkflowStatus.COMPLETE, 50, null));
        d.runToEnd();

        assertThat(d.instance.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(data(d).n()).isEqualTo(50);
    }

    @Test
    void givenChildWorkflowStep_whenChildFails_thenParentFailsOrCompensatesPerDefinition() {
        Drive failing = Drive.start(childFlow(ErrorBehaviour.FAIL), Tally.zero()).run();
        String ref = failing.eventsOf(WorkflowEvent.ChildWorkflowRequested.class).get(0).reference();
        failing.deliver("c1", ChildResult.EVENT_NAME, ref, new ChildResult("child-1", WorkflowStatus.FAILED, null, null));
        failing.runToEnd();
        assertThat(failing.instance.status()).isEqualTo(WorkflowStatus.FAILED);
        assertThat(failing.instance.lastError().type()).isEqualTo("ChildWorkflowFailed");

        Drive compensating = Drive.start(childFlow(ErrorBehaviour.COMPENSATE), Tally.zero()).run();
        ref = compensating.eventsOf(WorkflowEvent.ChildWorkflowRequested.class).get(0).reference();
        compensating.deliver("c1", ChildResult.EVENT_NAME, ref, new ChildResult("child-1", WorkflowStatus.TERMINATED, null, null));
        compensating.runToEnd();
        assertThat(compensating.instance.status()).isEqualTo(WorkflowStatus.FAILED);
        assertThat(((Tally) compensating.instance.data()).log()).containsExactly("prepared", "unprepared");
    }

    private static Workflow childFlow(ErrorBehaviour onChildFailure) {
        WorkflowBuilder<Tally> parent = flow("Parent" + onChildFailure).startWith("prepare", t -> t.plus(5).note("prepared"));
        // A compensation outside a saga is refused unless a step of its flow compensates on failure (issue 15, defect 6).
        if (onChildFailure == ErrorBehaviour.COMPENSATE) parent.compensateWith("unprepare", t -> t.note("unprepared"));
        return parent
                .child("child", "lang.Child", Tally::n, (t, result) -> new Tally((Integer) result, t.log()))
                .onError(onChildFailure)
                .build();
    }

    @Test
    void givenChildResultComingBackAsAMap_whenRead_thenTheSameResult() {
        ChildResult result = ChildResult.from(java.util.Map.of("instanceId", "c-1", "status", "FAILED", "data", 7,
                "error", java.util.Map.of("step", "s", "type", "T", "message", "m", "attempt", 2, "at", "2026-03-01T10:00:00Z")));

        assertThat(result).isEqualTo(new ChildResult("c-1", WorkflowStatus.FAILED, 7,
                new net.reactory.workflow.domain.instance.StepError("s", "T", "m", 2, Drive.T0)));
        assertThatThrownBy(() -> ChildResult.from("nonsense")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void givenEnd_whenReached_thenLaterStepsDoNotRun() {
        Workflow wf = net.reactory.workflow.domain.definition.Workflow.of("lang", "End", "1.0.0", s -> s
                .startWith("first", ctx -> ExecutionResult.outcome("stop"))
                .onOutcome("stop", "last")
                .then("middle", ctx -> ExecutionResult.next())
                .step("last", ctx -> ExecutionResult.next()).end());

        Drive d = Drive.start(wf, null).runToEnd();

        assertThat(d.completedSteps()).containsExactly("first", "last");
    }

    @Test
    void givenTypedAndByNameDefinitions_whenCompiled_thenSameGraph() {
        WorkflowDefinition typed = WorkflowDefinition.compile(flow("Same")
                .startWith("a", t -> t)
                .whileDo("loop", t -> t.n() < 2, f -> f.then("inc", t -> t.plus(1)))
                .then("z", t -> t)
                .build());
        WorkflowDefinition byName = WorkflowDefinition.compile(Workflow.of("lang", "Same", "1.0.0", s -> s
                .startWith("a", ctx -> ExecutionResult.next())
                .then("loop", ctx -> ExecutionResult.outcome(((Tally) ctx.data()).n() < 2)).onOutcome(true, "inc")
                .then("z", ctx -> ExecutionResult.next())
                .step("inc", ctx -> ExecutionResult.next(((Tally) ctx.data()).plus(1))).goTo("loop")));

        assertThat(shape(typed)).isEqualTo(shape(byName));
    }

    private static List<String> shape(WorkflowDefinition d) {
        List<String> out = new ArrayList<>();
        for (StepDefinition s : d.steps()) {
            out.add(s.name() + "->" + (s.next() == StepDefinition.NONE ? "end" : d.step(s.next()).name()) + " " + s.outcomes().keySet());
        }
        Collections.sort(out);
        return out;
    }

    @Test
    void givenMistakesInTypedFlow_whenCompiled_thenEveryProblemReported() {
        Workflow wf = flow("Bad")
                .startWith("a", t -> t)
                .whileDo("loop", t -> true, f -> { })
                .parallel("par", f -> f.then("only", t -> t))
                .then("a", t -> t)
                .build();

        assertThatThrownBy(() -> WorkflowDefinition.compile(wf))
                .isInstanceOfSatisfying(InvalidWorkflowException.class, e -> assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("the body of 'loop' has no steps"))
                        .anySatisfy(p -> assertThat(p).contains("parallel 'par' needs at least two branches"))
                        .anySatisfy(p -> assertThat(p).contains("step name 'a' is used twice")));
    }
}
