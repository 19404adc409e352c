package net.reactory.workflow.application.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import net.reactory.workflow.application.port.out.EventStore;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.service.RunnerConfig;
import net.reactory.workflow.application.service.SettableClock;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.domain.definition.ErrorBehaviour;
import net.reactory.workflow.domain.definition.InvalidWorkflowException;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;
import net.reactory.workflow.domain.language.WorkflowBuilder;
import net.reactory.workflow.domain.step.ExecutionResult;

/**
 * Workflows as a workflow-core user writes them, run through a real runner on each store (issue 15): every store
 * subclasses this once and passes it unchanged. The clock is settable and the poller parked: timers fire only when
 * a test moves the clock and polls.
 */
public abstract class LanguageScenarios {

    protected static final Instant T0 = Instant.parse("2026-05-01T08:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** The workflow data of the scenarios: what ran, in order. */
    public record Journal(List<String> lines) {
        public Journal {
            lines = List.copyOf(lines);
        }

        static Journal empty() {
            return new Journal(List.of());
        }

        Journal note(String line) {
            List<String> more = new ArrayList<>(lines);
            more.add(line);
            return new Journal(more);
        }
    }

    protected final SettableClock clock = new SettableClock(T0);
    private InstanceStore store;
    private EventStore events;
    private final List<WorkflowRunnerService> runners = new ArrayList<>();

    /** An empty instance store that reads time from {@code clock}. */
    protected abstract InstanceStore newStore(InstantSource clock);

    /** An empty event store. */
    protected abstract EventStore newEventStore();

    @BeforeEach
    void createStores() {
        store = newStore(clock);
        events = newEventStore();
    }

    @AfterEach
    void stopRunners() {
        runners.forEach(r -> r.stop().join());
    }

    // ------------------------------------------------------------------ defect 1: a retried container runs its block again

    @Test
    void givenSagaWithAttemptsLeft_whenItsBlockFailsOnce_thenTheCompensationsRunAndTheBlockRunsAgainFromItsFirstStep() {
        AtomicInteger failures = new AtomicInteger(1);
        Workflow wf = flow("RetriedSaga")
                .saga("booking", s -> s
                        .startWith("flight", j -> j.note("flight")).compensateWith("cancel flight", j -> j.note("cancel flight"))
                        .then("hotel", failing(failures, "hotel")))
                .maxAttempts(3)
                .then("after", j -> j.note("after"))
                .build();

        WorkflowInstance done = runToEnd(wf, Journal.empty());

        assertThat(done.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(lines(done)).containsExactly("flight", "cancel flight", "flight", "hotel", "after");
    }

    @Test
    void givenNestedSagaWithAttemptsLeft_whenItsBlockFailsOnce_thenTheInnerSagaRunsAgainAndTheOuterGoesOn() {
        AtomicInteger failures = new AtomicInteger(1);
        Workflow wf = flow("RetriedInnerSaga")
                .saga("outer", o -> o
                        .startWith("first", j -> j.note("first")).compensateWith("undo first", j -> j.note("undo first"))
                        .saga("inner", i -> i
                                .startWith("a", j -> j.note("a")).compensateWith("undo a", j -> j.note("undo a"))
                                .then("b", failing(failures, "b")))
                        .maxAttempts(2)
                        .then("last", j -> j.note("last")))
                .build();

        WorkflowInstance done = runToEnd(wf, Journal.empty());

        assertThat(done.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(lines(done)).containsExactly("first", "a", "undo a", "a", "b", "last");
    }

    @Test
    void givenRetriedSagaWhoseBlockWaitsForAnEvent_whenRetried_thenItWaitsAgainAndResumesOnTheNextEvent() {
        AtomicInteger failures = new AtomicInteger(1);
        Workflow wf = flow("RetriedWaitingSaga")
                .saga("pay", s -> s
                        .waitFor("paid", "order.paid", j -> "o-1", (j, e) -> j.note("paid " + e)).compensateWith("refund", j -> j.note("refund"))
                        .then("ship", failing(failures, "ship")))
                .maxAttempts(2)
                .build();
        WorkflowRunnerService runner = runner(wf);
        String id = start(runner, wf, Journal.empty());
        awaitParked(id);

        runner.publishEvent("evt-1", "order.paid", "o-1", "card", null).join();
        WorkflowInstance waitingAgain = settle(runner, id, i -> lines(i).contains("refund") && i.nextExecution() == null);

        assertThat(waitingAgain.status()).isEqualTo(WorkflowStatus.RUNNABLE);
        assertThat(waitingAgain.pointers()).anySatisfy(p -> assertThat(p.isWaiting()).isTrue());
        assertThat(lines(waitingAgain)).containsExactly("paid card", "refund");

        runner.publishEvent("evt-2", "order.paid", "o-1", "cash", null).join();
        WorkflowInstance done = awaitFinished(runner, id);

        assertThat(done.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(lines(done)).containsExactly("paid card", "refund", "paid cash", "ship");
    }

    // ------------------------------------------------------------------ defect 2: several branches for one outcome

    @Test
    void givenTwoBranchesForOneOutcome_whenTheSelectorReturnsIt_thenBothRunAndTheFlowGoesOnOnceAfterBoth() {
        Workflow wf = flow("TwoBranches")
                .decide("route", j -> j.lines().size() + 2, d -> d
                        .when(2, a -> a.then("a", j -> j.note("a")).delay("a waits", Duration.ofMinutes(5)).then("a done", j -> j.note("a done")))
                        .when(2, b -> b.then("b", j -> j.note("b")))
                        .when(3, c -> c.then("c", j -> j.note("c"))))
                .then("after", j -> j.note("after"))
                .build();

        WorkflowInstance done = runToEnd(wf, Journal.empty());

        assertThat(done.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(lines(done)).containsExactlyInAnyOrder("a", "b", "a done", "after").endsWith("a done", "after");
    }

    @Test
    void givenTwoByNameTargetsForOneOutcome_whenChosen_thenBothRun() {
        Workflow wf = Workflow.of("scenario", "TwoTargets", "1.0.0", s -> s
                .startWith("route", ctx -> ExecutionResult.outcome("go"))
                .onOutcome("go", "left").onOutcome("go", "right")
                .step("left", ctx -> ExecutionResult.next(ctx.data(Journal.class).note("left")))
                .step("right", ctx -> ExecutionResult.next(ctx.data(Journal.class).note("right"))));

        WorkflowInstance done = runToEnd(wf, Journal.empty());

        assertThat(done.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(lines(done)).containsExactlyInAnyOrder("left", "right");
    }

    // ------------------------------------------------------------------ defect 3: compensating containers and children

    @Test
    void givenCompensatedForeachParallelAndChildInASaga_whenALaterStepFails_thenEachIsUndoneAsAWholeNewestFirst() {
        Workflow child = flow("Child").startWith("work", j -> j.note("child worked")).build();
        Workflow wf = flow("CompensatedContainers")
                .saga("tx", s -> s
                        .forEach("each", j -> List.of("x", "y"), f -> f
                                .then("pack", (j, ctx) -> ExecutionResult.next(j.note("pack " + ctx.item())))
                                .compensateWith("unpack one", j -> j.note("unpack one")))
                        .compensateWith("unpack all", j -> j.note("unpack all"))
                        .parallel("both", a -> a.then("left", j -> j.note("left")), b -> b.then("right", j -> j.note("right")))
                        .compensateWith("undo both", j -> j.note("undo both"))
                        .child("call", "scenario.Child", j -> Journal.empty(), (j, result) -> j.note("called"))
                        .compensateWith("undo call", j -> j.note("undo call"))
                        .then("boom", (j, ctx) -> ExecutionResult.fail("Boom", "no way")))
                .build();
        WorkflowRunnerService runner = runner(child, wf);

        WorkflowInstance done = awaitFinished(runner, start(runner, wf, Journal.empty()));

        assertThat(done.status()).isEqualTo(WorkflowStatus.FAILED);
        assertThat(lines(done)).containsExactly("pack x", "pack y", "left", "right", "called", "undo call", "undo both", "unpack all");
    }

    @Test
    void givenSagaWithACompensationOfItsOwn_whenAStepInsideFails_thenItsStepsAreUndoneThenTheSagaItself() {
        Workflow wf = flow("WholeSaga")
                .saga("tx", s -> s
                        .startWith("a", j -> j.note("a")).compensateWith("undo a", j -> j.note("undo a"))
                        .then("boom", (j, ctx) -> ExecutionResult.fail("Boom", "no way")))
                .compensateWith("undo everything", j -> j.note("undo everything"))
                .build();

        WorkflowInstance done = runToEnd(wf, Journal.empty());

        assertThat(done.status()).isEqualTo(WorkflowStatus.FAILED);
        assertThat(lines(done)).containsExactly("a", "undo a", "undo everything");
    }

    // ------------------------------------------------------------------ defect 4: recur runs at once

    @Test
    void givenRecur_whenStarted_thenItsBlockRunsAtOnceThenAfterEachIntervalUntilTheConditionHolds() {
        Workflow wf = flow("Recur")
                .recur("tick", j -> Duration.ofMinutes(10), j -> j.lines().size() >= 2, f -> f.then("count", j -> j.note("tick")))
                .build();
        WorkflowRunnerService runner = runner(wf);
        String id = start(runner, wf, Journal.empty());

        WorkflowInstance first = awaitParked(id);
        assertThat(lines(first)).as("the block ran at once, before any interval passed").containsExactly("tick");
        assertThat(first.nextExecution()).isEqualTo(clock.instant().plus(Duration.ofMinutes(10)));

        clock.advance(Duration.ofMinutes(10));
        runner.pollNow();
        WorkflowInstance done = awaitFinished(runner, id);

        assertThat(done.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(lines(done)).containsExactly("tick", "tick");
    }

    // ------------------------------------------------------------------ defect 6: a compensation outside any saga

    @Test
    void givenCompensationOutsideAnySagaUnderFail_whenRegistered_thenRefusedNamingTheStep() {
        Workflow wf = flow("Outside")
                .startWith("charge", j -> j.note("charged")).compensateWith("refund", j -> j.note("refunded"))
                .then("ship", (j, ctx) -> ExecutionResult.fail("NoStock", "none left"))
                .build();
        WorkflowRunnerService runner = runner();

        assertThatThrownBy(() -> runner.registerWorkflow(wf)).isInstanceOf(InvalidWorkflowException.class)
                .hasMessageContaining("step 'charge' has a compensation that would never run");
    }

    @Test
    void givenCompensationOutsideAnySagaAndALaterStepThatCompensates_whenThatStepFails_thenTheCompensationRuns() {
        Workflow wf = flow("OutsideCompensating")
                .startWith("charge", j -> j.note("charged")).compensateWith("refund", j -> j.note("refunded"))
                .then("ship", (j, ctx) -> ExecutionResult.fail("NoStock", "none left")).onError(ErrorBehaviour.COMPENSATE)
                .build();

        WorkflowInstance done = runToEnd(wf, Journal.empty());

        assertThat(done.status()).isEqualTo(WorkflowStatus.FAILED);
        assertThat(lines(done)).containsExactly("charged", "refunded");
    }

    // ------------------------------------------------------------------ defect 5: the data reads back as the same types

    /** An interface-typed component's values. */
    public sealed interface Shape permits Circle, Square {
    }

    public record Circle(double radius) implements Shape {
    }

    public record Square(int side) implements Shape {
    }

    public enum Colour { RED, GREEN }

    public record Item(String sku, int quantity) {
    }

    /** Every shape of record the README allows: Object, interface, list-of-record, map-of-record and enum components. */
    public record Drawing(Object anything, Shape shape, List<Item> items, Map<String, Item> byKey, Colour colour,
                          List<Shape> shapes, Map<String, Object> extras, List<Object> mixed, Object nothing, List<String> seen) {
        Drawing seeing(List<String> what) {
            return new Drawing(anything, shape, items, byKey, colour, shapes, extras, mixed, nothing, what);
        }

        /** The classes of the values whose declared type does not say what they are. */
        List<String> openTypes() {
            return List.of(name(anything), name(shape), name(items.get(0)), name(byKey.get("k")), name(colour), name(shapes.get(1)),
                    name(extras.get("when")), name(extras.get("count")), name(extras.get("item")), name(extras.get("colour")),
                    name(mixed.get(0)), name(mixed.get(1)), name(mixed.get(2)), name(mixed.get(3)));
        }

        private static String name(Object value) {
            return value == null ? "null" : value.getClass().getSimpleName();
        }
    }

    private static Drawing drawing() {
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("when", Instant.parse("2026-05-01T08:00:00.123456789Z"));
        extras.put("count", 5L);
        extras.put("item", new Item("extra", 2));
        extras.put("colour", Colour.GREEN);
        extras.put("note", "plain text");
        return new Drawing(new Item("any", 1), new Circle(1.5), List.of(new Item("a", 3)), Map.of("k", new Item("b", 4)), Colour.RED,
                List.of(new Square(2), new Circle(0.5)), extras, List.of(new Square(7), new BigDecimal("1.10"), List.of(new Item("deep", 9)),
                Map.of("x", 1)), null, List.of());
    }

    private static final List<String> OPEN_TYPES = List.of("Item", "Circle", "Item", "Item", "Colour", "Circle",
            "Instant", "Long", "Item", "Colour", "Square", "BigDecimal", "ArrayList", "LinkedHashMap");

    @Test
    void givenRecordWithObjectInterfaceListMapAndEnumComponents_whenSavedAndLoaded_thenEqualWithTheSameTypes() {
        WorkflowInstance created = net.reactory.workflow.application.port.out.TestInstances.runnable(T0);
        WorkflowInstance instance = new WorkflowInstance(created.id(), created.definition(), created.status(), drawing(),
                created.pointers(), created.nextPointerId(), created.nextExecution(), created.revision(), created.reference(),
                created.createdAt(), created.updatedAt(), null, null, List.of());

        store.create(instance);
        WorkflowInstance loaded = store.load(instance.id()).orElseThrow();

        assertThat(loaded.data()).isEqualTo(drawing());
        Drawing back = (Drawing) loaded.data();
        assertThat(back.openTypes().subList(0, 12)).isEqualTo(OPEN_TYPES.subList(0, 12));
        assertThat(((List<?>) back.mixed().get(2)).get(0)).isInstanceOf(Item.class);
    }

    @Test
    void givenWorkflowOnSuchARecord_whenAStepRunsAfterTheInstanceWasReloaded_thenItSeesTheSameTypesOnEveryStore() {
        Workflow wf = WorkflowBuilder.define("scenario", "Drawing", "1.0.0", Drawing.class)
                .delay("reload", Duration.ofMinutes(1))
                .then("inspect", d -> d.seeing(d.openTypes()))
                .build();

        WorkflowInstance done = runToEnd(wf, drawing());

        assertThat(done.status()).isEqualTo(WorkflowStatus.COMPLETE);
        Drawing seen = (Drawing) done.data();
        assertThat(seen.seen().subList(0, 12)).isEqualTo(OPEN_TYPES.subList(0, 12));
        assertThat(seen.seeing(List.of())).isEqualTo(drawing());
    }

    // ------------------------------------------------------------------ helpers

    protected static WorkflowBuilder<Journal> flow(String name) {
        return WorkflowBuilder.define("scenario", name, "1.0.0", Journal.class);
    }

    /** A step that fails the first {@code failures} times it runs, then notes {@code line}. */
    protected static WorkflowBuilder.TypedBody<Journal> failing(AtomicInteger failures, String line) {
        return (j, ctx) -> failures.getAndDecrement() > 0 ? ExecutionResult.fail("Flaky", line + " failed")
                : ExecutionResult.next(j.note(line));
    }

    protected static List<String> lines(WorkflowInstance instance) {
        return ((Journal) instance.data()).lines();
    }

    protected WorkflowRunnerService runner(Workflow... workflows) {
        WorkflowRunnerService runner = WorkflowRunnerService.builder().config(RunnerConfig.defaults().withPollInterval(Duration.ofHours(1)))
                .store(store).eventStore(events).clock(clock).workflows(List.of(workflows)).build();
        runners.add(runner);
        runner.initialize().join();
        return runner;
    }

    protected String start(WorkflowRunnerService runner, Workflow workflow, Object data) {
        return runner.startWorkflow(workflow.nameSpace() + "." + workflow.name(), null, data).join();
    }

    /** Starts {@code workflow} and moves the clock past every timer and retry until the instance finishes. */
    protected WorkflowInstance runToEnd(Workflow workflow, Object data) {
        WorkflowRunnerService runner = runner(workflow);
        String id = start(runner, workflow, data);
        return settle(runner, id, WorkflowInstance::isFinished);
    }

    /**
     * Moves the clock an hour at a time (retries and timers fire) until {@code condition} holds, with a deadline.
     * An instance that only waits for an event is awaited, not pushed: the event may still be on its way.
     */
    protected WorkflowInstance settle(WorkflowRunnerService runner, String id, Predicate<WorkflowInstance> condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            WorkflowInstance seen = awaitInstance(id, i -> condition.test(i) || i.isFinished() || (i.status() == WorkflowStatus.RUNNABLE
                    && i.nextExecution() != null && i.nextExecution().isAfter(clock.instant())));
            if (condition.test(seen)) return seen;
            if (seen.isFinished()) {
                throw new AssertionError("instance " + id + " ended " + seen.status() + " with " + lines(seen) + " short of the condition");
            }
            clock.advance(Duration.ofHours(1));
            runner.pollNow();
        }
        throw new AssertionError("instance " + id + " did not reach the condition within " + WAIT);
    }

    protected WorkflowInstance awaitFinished(WorkflowRunnerService runner, String id) {
        return runner.awaitFinished(id).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** Parked: nothing due now, only sleeping or waiting pointers, and no node holds it. */
    protected WorkflowInstance awaitParked(String id) {
        return awaitInstance(id, i -> i.status() == WorkflowStatus.RUNNABLE
                && (i.nextExecution() == null || i.nextExecution().isAfter(clock.instant())));
    }

    protected WorkflowInstance awaitInstance(String id, Predicate<WorkflowInstance> condition) {
        try {
            await().atMost(WAIT).pollInterval(Duration.ofMillis(5))
                    .until(() -> store.load(id).filter(i -> i.lease() == null && condition.test(i)).isPresent());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("instance " + id + " at " + clock.instant() + " never met the condition; last seen: "
                    + store.load(id).orElse(null), e);
        }
        return store.load(id).orElseThrow();
    }
}
