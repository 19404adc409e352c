package net.reactory.workflow.definitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.domain.definition.ErrorBehaviour;
import net.reactory.workflow.domain.definition.RetrySpec;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;
import net.reactory.workflow.domain.language.WorkflowBuilder;
import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.step.StepBody;
import net.reactory.workflow.testing.WorkflowTestHarness;

/**
 * Each construct JSON gained (if, while, schedule, recur, a decide on a boolean, a delay read from the data, per-step
 * retry, timeout and onError, compensation, cancel conditions) behaves as the same workflow written with the typed builder: the same
 * change events in the same order, the same final status and data.
 */
class JsonConstructsMatchBuilderTest {

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final Class<Map<String, Object>> DATA = (Class) Map.class;

    /** Adds one to the field {@code n}. */
    private static final StepBody COUNT = ctx -> {
        Map<String, Object> data = new LinkedHashMap<>(map(ctx.data()));
        data.merge("n", 1, (a, b) -> ((Number) a).intValue() + 1);
        return ExecutionResult.next(data);
    };
    /** Fails its first two attempts, then completes. */
    private static final StepBody FLAKY = ctx -> ctx.attempt() < 3 ? ExecutionResult.fail("Flaky", "attempt " + ctx.attempt())
            : ExecutionResult.next(with(map(ctx.data()), "flaky", "ok"));
    private static final StepBody NO_CAR = ctx -> ExecutionResult.fail("NoCar", "no car left");
    /** Never returns on its own: only the step's timeout (an interrupt) ends it. */
    private static final StepBody HANGS = ctx -> {
        new CountDownLatch(1).await();
        return ExecutionResult.next();
    };

    private static final StepTypes TYPES = StepTypes.builtIn().register("count", params -> COUNT).register("flaky", params -> FLAKY)
            .register("no-car", params -> NO_CAR).register("hangs", params -> HANGS);

    private static Workflow json(String steps) {
        return new DefinitionReader(TYPES, (id, n, k, d) -> { })
                .read("same.json", "{\"nameSpace\": \"same\", \"name\": \"Flow\", \"version\": \"1.0.0\", \"steps\": " + steps + "}");
    }

    private static WorkflowBuilder<Map<String, Object>> twin() {
        return WorkflowBuilder.define("same", "Flow", "1.0.0", DATA);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object data) {
        return (Map<String, Object>) data;
    }

    private static Map<String, Object> with(Map<String, Object> data, String key, Object value) {
        Map<String, Object> out = new LinkedHashMap<>(data);
        out.put(key, value);
        return out;
    }

    private static int n(Map<String, Object> d) {
        return d.get("n") instanceof Number n ? n.intValue() : 0;
    }

    /** How one run went: its change events (without ids and times), status and data. */
    record Run(List<String> events, WorkflowStatus status, Object data) {
    }

    /** Starts the workflow with {@code data}, lets {@code drive} move time, and returns how the instance ended. */
    private static Run run(Workflow workflow, Map<String, Object> data, Consumer<WorkflowTestHarness> drive) {
        try (WorkflowTestHarness harness = WorkflowTestHarness.of(workflow)) {
            String id = harness.start("same.Flow", data);
            drive.accept(harness);
            WorkflowInstance done = harness.awaitFinished(id);
            // Change events reach the listener after the save that finished the instance: wait for the last one.
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (harness.events(id).stream().noneMatch(JsonConstructsMatchBuilderTest::ends) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
            }
            List<String> events = new ArrayList<>();
            for (WorkflowEvent e : harness.events(id)) {
                events.add(switch (e) {
                    case WorkflowEvent.StepCompleted c -> "completed:" + c.step();
                    case WorkflowEvent.StepFailed f -> "failed:" + f.error().step() + ":" + f.error().type();
                    case WorkflowEvent.RetryScheduled r -> "retry:" + r.step() + ":" + r.attempt();
                    default -> e.kind();
                });
            }
            return new Run(events, done.status(), done.data());
        }
    }

    private static boolean ends(WorkflowEvent e) {
        return e instanceof WorkflowEvent.WorkflowCompleted || e instanceof WorkflowEvent.WorkflowFailed
                || e instanceof WorkflowEvent.WorkflowTerminated;
    }

    private static Run same(Workflow fromJson, Workflow fromBuilder, Map<String, Object> data, Consumer<WorkflowTestHarness> drive) {
        Run json = run(fromJson, data, drive);
        Run java = run(fromBuilder, data, drive);
        assertThat(json).isEqualTo(java);
        return json;
    }

    private static final Consumer<WorkflowTestHarness> NOTHING = h -> { };

    @Test
    void givenIf_whenTheConditionHoldsAndWhenNot_thenJsonAndBuilderRunTheBlockAlike() {
        Workflow json = json("""
                [{"name": "big?", "type": "if", "condition": {"field": "total", "greaterThan": 100},
                  "steps": [{"name": "review", "type": "set-data", "values": {"review": true}}]},
                 {"name": "after", "type": "set-data", "values": {"done": true}}]""");
        Workflow java = twin()
                .ifThen("big?", d -> ((Number) d.get("total")).doubleValue() > 100, f -> f.then("review", d -> with(d, "review", true)))
                .then("after", d -> with(d, "done", true)).build();

        Run big = same(json, java, Map.of("total", 150), NOTHING);
        Run small = same(json, java, Map.of("total", 50), NOTHING);

        assertThat(big.data()).isEqualTo(Map.of("total", 150, "review", true, "done", true));
        assertThat(small.data()).isEqualTo(Map.of("total", 50, "done", true));
    }

    @Test
    void givenDecideOnABoolean_whenRun_thenTheTrueOrFalseBranchRunsAsInTheBuilder() {
        Workflow json = json("""
                [{"name": "route", "type": "decide", "on": "paid", "branches": {
                   "true": [{"name": "ship", "type": "set-data", "values": {"shipped": true}}],
                   "false": [{"name": "remind", "type": "set-data", "values": {"reminded": true}}]}}]""");
        Workflow java = twin().decide("route", d -> String.valueOf(d.get("paid")), b -> b
                .when("true", f -> f.then("ship", d -> with(d, "shipped", true)))
                .when("false", f -> f.then("remind", d -> with(d, "reminded", true)))).build();

        assertThat(same(json, java, Map.of("paid", true), NOTHING).data()).isEqualTo(Map.of("paid", true, "shipped", true));
        assertThat(same(json, java, Map.of("paid", false), NOTHING).data()).isEqualTo(Map.of("paid", false, "reminded", true));
    }

    @Test
    void givenWhile_whenRun_thenTheBodyRunsUntilTheConditionFailsAsInTheBuilder() {
        Workflow json = json("""
                [{"name": "loop", "type": "while", "condition": {"any": [{"field": "n", "exists": false}, {"field": "n", "lessThan": 3}]},
                  "steps": [{"name": "count", "type": "count"}]}]""");
        Workflow java = twin().whileDo("loop", d -> n(d) < 3, f -> f.step("count", COUNT)).build();

        Run run = same(json, java, Map.of(), NOTHING);

        assertThat(run.data()).isEqualTo(Map.of("n", 3));
        assertThat(run.events()).filteredOn("completed:count"::equals).hasSize(3);
    }

    @Test
    void givenDelayReadFromTheData_whenTheClockPassesIt_thenTheFlowGoesOnAsInTheBuilder() {
        Workflow json = json("""
                [{"name": "cool", "type": "delay", "duration": "${coolOff}"},
                 {"name": "after", "type": "set-data", "values": {"done": true}}]""");
        Workflow java = twin().delay("cool", d -> Duration.parse((String) d.get("coolOff")))
                .then("after", d -> with(d, "done", true)).build();

        Run run = same(json, java, Map.of("coolOff", "PT10M"), h -> {
            h.awaitQuiet();
            assertThat(h.advance(Duration.ofMinutes(9))).isZero();
            h.advance(Duration.ofMinutes(1));
        });

        assertThat(run.data()).isEqualTo(Map.of("coolOff", "PT10M", "done", true));
    }

    @Test
    void givenSchedule_whenItsTimeComes_thenTheBlockRunsInTheBackgroundAsInTheBuilder() {
        Workflow json = json("""
                [{"name": "later", "type": "schedule", "after": "PT1H",
                  "steps": [{"name": "remind", "type": "set-data", "values": {"reminded": true}}]},
                 {"name": "now", "type": "set-data", "values": {"started": true}}]""");
        Workflow java = twin().schedule("later", d -> Duration.ofHours(1), f -> f.then("remind", d -> with(d, "reminded", true)))
                .then("now", d -> with(d, "started", true)).build();

        Run run = same(json, java, Map.of(), h -> {
            h.awaitQuiet();
            h.advance(Duration.ofHours(1));
        });

        assertThat(run.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(run.data()).isEqualTo(Map.of("started", true, "reminded", true));
        assertThat(run.events().indexOf("completed:now")).isLessThan(run.events().indexOf("completed:remind"));
    }

    @Test
    void givenRecur_whenHoursPass_thenTheBlockRepeatsUntilTheConditionHoldsAsInTheBuilder() {
        Workflow json = json("""
                [{"name": "poll", "type": "recur", "interval": "PT1H", "until": {"field": "n", "atLeast": 2},
                  "steps": [{"name": "count", "type": "count"}]}]""");
        Workflow java = twin().recur("poll", d -> Duration.ofHours(1), d -> n(d) >= 2, f -> f.step("count", COUNT)).build();

        Run run = same(json, java, Map.of(), h -> {
            for (int hour = 0; hour < 4; hour++) h.advance(Duration.ofHours(1));
        });

        assertThat(run.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(n(map(run.data()))).isEqualTo(2);
    }

    @Test
    void givenRetryWithBackoff_whenTheStepFailsTwice_thenItIsRetriedAfterTheDelaysAsInTheBuilder() {
        Workflow json = json("""
                [{"name": "call", "type": "flaky", "maxAttempts": 3,
                  "retry": {"initialDelay": "PT10S", "maxDelay": "PT1M", "multiplier": 2, "jitter": 0}}]""");
        Workflow java = twin().step("call", FLAKY).maxAttempts(3)
                .retry(RetrySpec.backoff(Duration.ofSeconds(10), Duration.ofMinutes(1)).withMultiplier(2).withJitter(0)).build();

        Run run = same(json, java, Map.of(), h -> {
            h.awaitQuiet();
            assertThat(h.advance(Duration.ofSeconds(9))).as("the first retry waits 10s").isZero();
            h.advance(Duration.ofSeconds(1));
            h.awaitQuiet();
            assertThat(h.advance(Duration.ofSeconds(19))).as("the second waits 20s").isZero();
            h.advance(Duration.ofSeconds(1));
        });

        assertThat(run.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(run.events()).containsSubsequence("retry:call:2", "retry:call:3", "completed:call");
    }

    @Test
    void givenAbortOnAndOnErrorTerminate_whenTheStepFailsWithThatType_thenNoRetryAndTheWorkflowIsTerminatedAsInTheBuilder() {
        Workflow json = json("""
                [{"name": "book", "type": "no-car", "maxAttempts": 5, "retry": {"abortOn": ["NoCar"]}, "onError": "terminate"}]""");
        Workflow java = twin().step("book", NO_CAR).maxAttempts(5).retry(RetrySpec.DEFAULTS.abortOnTypes("NoCar"))
                .onError(ErrorBehaviour.TERMINATE).build();

        Run run = same(json, java, Map.of(), NOTHING);

        assertThat(run.status()).isEqualTo(WorkflowStatus.TERMINATED);
        assertThat(run.events()).noneMatch(e -> e.startsWith("retry:"));
    }

    @Test
    void givenTimeout_whenTheStepRunsLonger_thenTheAttemptFailsAndOnErrorAppliesAsInTheBuilder() {
        Workflow json = json("""
                [{"name": "slow", "type": "hangs", "timeout": "PT0.2S", "maxAttempts": 1, "onError": "terminate"}]""");
        Workflow java = twin().step("slow", HANGS).timeout(Duration.ofMillis(200)).maxAttempts(1).onError(ErrorBehaviour.TERMINATE).build();

        Run run = same(json, java, Map.of(), NOTHING);

        assertThat(run.status()).isEqualTo(WorkflowStatus.TERMINATED);
        assertThat(run.events()).anyMatch(e -> e.startsWith("failed:slow:"));
    }

    @Test
    void givenSagaWithCompensations_whenALaterStepFails_thenTheCompensationsRunNewestFirstAsInTheBuilder() {
        Workflow json = json("""
                [{"name": "booking", "type": "saga", "continueAfterCompensation": true, "steps": [
                   {"name": "flight", "type": "set-data", "values": {"flight": true},
                    "compensateWith": [{"name": "cancel flight", "type": "set-data", "values": {"flight": false}}]},
                   {"name": "hotel", "type": "set-data", "values": {"hotel": true},
                    "compensateWith": [{"name": "cancel hotel", "type": "set-data", "values": {"hotel": false}},
                                       {"name": "mail", "type": "set-data", "values": {"mailed": true}}]},
                   {"name": "car", "type": "no-car", "maxAttempts": 1}]},
                 {"name": "after", "type": "set-data", "values": {"after": true}}]""");
        Workflow java = twin().saga("booking", s -> s
                        .then("flight", d -> with(d, "flight", true)).compensateWith("cancel flight", d -> with(d, "flight", false))
                        .then("hotel", d -> with(d, "hotel", true))
                        .compensateWith(c -> c.then("cancel hotel", d -> with(d, "hotel", false)).then("mail", d -> with(d, "mailed", true)))
                        .step("car", NO_CAR).maxAttempts(1), true)
                .then("after", d -> with(d, "after", true)).build();

        Run run = same(json, java, Map.of(), NOTHING);

        assertThat(run.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(run.data()).isEqualTo(Map.of("flight", false, "hotel", false, "mailed", true, "after", true));
        assertThat(run.events()).containsSubsequence("completed:cancel hotel", "completed:mail", "completed:cancel flight", "completed:after");
    }

    @Test
    void givenAWaitWithCancelWhen_whenAnotherBranchSetsTheField_thenTheWaitIsGivenUpAndTheFlowGoesOnAsInTheBuilder() {
        Workflow json = json("""
                [{"name": "both", "type": "parallel", "branches": [
                   [{"name": "approval", "type": "wait-for-event", "event": "approved", "key": "o-1", "cancelWhen": "withdrawn"},
                    {"name": "never", "type": "set-data", "values": {"never": true}}],
                   [{"name": "a while", "type": "delay", "duration": "PT5M"},
                    {"name": "withdraw", "type": "set-data", "values": {"withdrawn": true}}]]},
                 {"name": "after", "type": "set-data", "values": {"after": true}}]""");
        Workflow java = twin()
                .parallel("both",
                        a -> a.waitFor("approval", "approved", d -> "o-1", (d, e) -> d).cancelWhen(d -> Boolean.TRUE.equals(d.get("withdrawn")))
                                .then("never", d -> with(d, "never", true)),
                        b -> b.delay("a while", Duration.ofMinutes(5)).then("withdraw", d -> with(d, "withdrawn", true)))
                .then("after", d -> with(d, "after", true)).build();

        Run run = same(json, java, Map.of(), h -> {
            h.awaitQuiet();
            h.advance(Duration.ofMinutes(5));
        });

        assertThat(run.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(run.data()).isEqualTo(Map.of("withdrawn", true, "after", true));
        assertThat(run.events()).contains("completed:withdraw", "completed:after").doesNotContain("completed:never", "completed:approval");
    }

    @Test
    void givenADelayWithCancelWhenAndProceedAfterCancel_whenTheConditionHolds_thenTheStepAfterTheDelayRunsAsInTheBuilder() {
        Workflow json = json("""
                [{"name": "both", "type": "parallel", "branches": [
                   [{"name": "a day", "type": "delay", "duration": "P1D",
                     "cancelWhen": {"field": "status", "equals": "withdrawn"}, "proceedAfterCancel": true},
                    {"name": "after delay", "type": "set-data", "values": {"afterDelay": true}}],
                   [{"name": "withdraw", "type": "set-data", "values": {"status": "withdrawn"}}]]}]""");
        Workflow java = twin()
                .parallel("both",
                        a -> a.delay("a day", Duration.ofDays(1)).cancelWhen(d -> "withdrawn".equals(d.get("status")), true)
                                .then("after delay", d -> with(d, "afterDelay", true)),
                        b -> b.then("withdraw", d -> with(d, "status", "withdrawn")))
                .build();

        Run run = same(json, java, Map.of(), NOTHING);

        assertThat(run.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(run.data()).isEqualTo(Map.of("status", "withdrawn", "afterDelay", true));
    }

    @Test
    void givenABadCancelWhen_whenRead_thenEachProblemIsReportedWithItsPath() {
        assertThatThrownBy(() -> json("""
                [{"name": "both", "type": "parallel", "branches": [
                   [{"name": "approval", "type": "wait-for-event", "event": "approved", "key": "o-1", "cancelWhen": 5}],
                   [{"name": "a while", "type": "delay", "duration": "PT5M", "cancelWhen": {"field": "n", "lessThan": "x"},
                     "proceedAfterCancel": "yes"}],
                   [{"name": "lonely", "type": "delay", "duration": "PT5M", "proceedAfterCancel": true}]]}]"""))
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.problems()).satisfiesExactlyInAnyOrder(
                        p -> assertThat(p).startsWith("$.steps[0].branches[0][0].cancelWhen: expected a field name or a condition object"),
                        p -> assertThat(p).startsWith("$.steps[0].branches[1][0].cancelWhen.lessThan: "),
                        p -> assertThat(p).startsWith("$.steps[0].branches[1][0].proceedAfterCancel: expected true or false"),
                        p -> assertThat(p).isEqualTo("$.steps[0].branches[2][0].proceedAfterCancel: only means something with cancelWhen, "
                                + "which is missing")));
    }
}
