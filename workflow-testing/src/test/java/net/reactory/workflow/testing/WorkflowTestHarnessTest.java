package net.reactory.workflow.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.application.port.in.WorkflowNotFoundException;
import net.reactory.workflow.application.service.RunnerConfig;
import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.language.WorkflowBuilder;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/** One test per capability of the harness: start and finish, time, events, retries, and waits that time out. */
class WorkflowTestHarnessTest {

    record Order(String id, Object payment, List<String> log) {
        Order note(String s) {
            List<String> l = new ArrayList<>(log);
            l.add(s);
            return new Order(id, payment, l);
        }

        Order paid(Object p) {
            return new Order(id, p, log).note("paid");
        }
    }

    static Order order(String id) {
        return new Order(id, null, List.of());
    }

    /** Waits for "paid" keyed by the order, then cools off for five minutes. */
    static Workflow paidThenCoolOff() {
        return WorkflowBuilder.define("test", "Order", "1.0.0", Order.class)
                .startWith("hello", o -> o.note("hello"))
                .waitFor("paid", "paid", Order::id, Order::paid)
                .delay("cool off", Duration.ofMinutes(5))
                .then("done", o -> o.note("done"))
                .build();
    }

    @Test
    void givenStepsThatNeedNoTime_whenStarted_thenAwaitFinishedReturnsTheCompletedInstance() {
        Workflow greet = Workflow.of("test", "Greet", "1.0.0", steps -> steps
                .startWith("Hello", ctx -> ExecutionResult.next(Map.of("greeting", "hello " + ((Map<?, ?>) ctx.data()).get("name")))));
        try (WorkflowTestHarness harness = WorkflowTestHarness.of(greet)) {
            String id = harness.start("test.Greet", Map.of("name", "Ada"));

            WorkflowInstance done = harness.awaitFinished(id);

            assertThat(done.status()).isEqualTo(WorkflowStatus.COMPLETE);
            assertThat(done.data()).isEqualTo(Map.of("greeting", "hello Ada"));
            assertThat(harness.events(id)).extracting(WorkflowEvent::kind).startsWith("started").endsWith("completed");
        }
    }

    @Test
    void givenInstanceWaitingForAnEvent_whenTheEventIsPublished_thenItResumesWithTheEventData() {
        try (WorkflowTestHarness harness = WorkflowTestHarness.of(paidThenCoolOff())) {
            String id = harness.start("test.Order", order("o-1"));

            WorkflowInstance waiting = harness.awaitIdle(id);
            assertThat(waiting.status()).isEqualTo(WorkflowStatus.RUNNABLE);
            assertThat(waiting.nextExecution()).as("nothing due: it waits for the event").isNull();
            assertThat(harness.events(id)).extracting(WorkflowEvent::kind).anySatisfy(kind -> assertThat(kind).startsWith("event.awaited"));

            harness.publishEvent("paid", "other-order", Map.of("amount", 1));
            assertThat(harness.awaitIdle(id).data()).as("an event for another key changes nothing").isEqualTo(waiting.data());

            harness.publishEvent("paid", "o-1", Map.of("amount", 3));

            WorkflowInstance sleeping = harness.awaitInstance(id, i -> i.nextExecution() != null);
            assertThat(((Order) sleeping.data()).payment()).isEqualTo(Map.of("amount", 3));
            assertThat(sleeping.nextExecution()).isEqualTo(harness.clock().instant().plus(Duration.ofMinutes(5)));
        }
    }

    @Test
    void givenSleepingInstance_whenTheClockIsAdvanced_thenItRunsOnlyOnceItsTimeHasCome() {
        try (WorkflowTestHarness harness = WorkflowTestHarness.of(paidThenCoolOff())) {
            String id = harness.start("test.Order", order("o-2"));
            harness.awaitIdle(id);
            harness.publishEvent("paid", "o-2", "card");
            harness.awaitInstance(id, i -> i.nextExecution() != null);

            assertThat(harness.advance(Duration.ofMinutes(4))).as("not due after four minutes").isZero();
            assertThat(harness.awaitIdle(id).status()).isEqualTo(WorkflowStatus.RUNNABLE);

            assertThat(harness.advance(Duration.ofMinutes(1))).as("due after five").isEqualTo(1);
            WorkflowInstance done = harness.awaitFinished(id);

            assertThat(done.status()).isEqualTo(WorkflowStatus.COMPLETE);
            assertThat(((Order) done.data()).log()).containsExactly("hello", "paid", "done");
            assertThat(done.completedAt()).isEqualTo(SettableClock.DEFAULT_START.plus(Duration.ofMinutes(5)));
        }
    }

    @Test
    void givenStepThatFailsOnce_whenTheRetryDelayPasses_thenTheRetryRunsAndTheInstanceCompletes() {
        AtomicInteger attempts = new AtomicInteger();
        Workflow flaky = Workflow.of("test", "Flaky", "1.0.0", steps -> steps
                .startWith("call", ctx -> {
                    if (attempts.incrementAndGet() == 1) throw new IllegalStateException("down");
                    return ExecutionResult.next();
                }).maxAttempts(2));
        try (WorkflowTestHarness harness = WorkflowTestHarness.builder().workflow(flaky)
                .config(RunnerConfig.defaults().withRetryDelays(Duration.ofMinutes(1), Duration.ofMinutes(1)))
                .startingAt(Instant.parse("2030-01-01T00:00:00Z")).build()) {
            String id = harness.start("test.Flaky", null);

            WorkflowInstance retrying = harness.awaitInstance(id, i -> !i.errors().isEmpty());
            assertThat(retrying.status()).isEqualTo(WorkflowStatus.RUNNABLE);
            assertThat(retrying.errors()).extracting(e -> e.message()).containsExactly("down");
            assertThat(harness.runDueWork()).as("the retry waits for its delay").isZero();

            harness.advance(Duration.ofMinutes(2)); // past the delay, jitter included

            assertThat(harness.awaitFinished(id).status()).isEqualTo(WorkflowStatus.COMPLETE);
            assertThat(attempts).hasValue(2);
        }
    }

    @Test
    void givenInstanceThatNeverFinishes_whenAwaitedWithATimeout_thenAwaitTimeoutErrorSaysWhereItStands() {
        try (WorkflowTestHarness harness = WorkflowTestHarness.builder().workflow(paidThenCoolOff()).timeout(Duration.ofMillis(300)).build()) {
            String id = harness.start("test.Order", order("o-3"));

            assertThatThrownBy(() -> harness.awaitFinished(id))
                    .isInstanceOf(AwaitTimeoutError.class)
                    .hasMessageContaining(id).hasMessageContaining("RUNNABLE").hasMessageContaining("waits for an event");
            assertThatThrownBy(() -> harness.awaitInstance(id, i -> i.status() == WorkflowStatus.SUSPENDED, Duration.ofMillis(100)))
                    .isInstanceOf(AwaitTimeoutError.class).hasMessageContaining("did not reach the expected state");
        }
    }

    @Test
    void givenUnknownWorkflowOrInstance_whenUsed_thenTheRunnersOwnErrorAtOnce() {
        try (WorkflowTestHarness harness = WorkflowTestHarness.of(paidThenCoolOff())) {
            assertThatThrownBy(() -> harness.start("test.Nope", null)).isInstanceOf(WorkflowNotFoundException.class);
            assertThatThrownBy(() -> harness.awaitIdle("no-such-id"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no instance no-such-id");
        }
    }

    @Test
    void givenEventPublishedTwiceWithOneId_whenDelivered_thenTheInstanceResumesOnce() {
        Workflow twoWaits = WorkflowBuilder.define("test", "TwoWaits", "1.0.0", Order.class)
                .startWith("first", (o, ctx) -> ExecutionResult.next(o))
                .waitFor("one", "paid", Order::id, Order::paid)
                .delay("later", Duration.ofHours(1))
                .waitFor("two", "paid", Order::id, Order::paid)
                .build();
        try (WorkflowTestHarness harness = WorkflowTestHarness.of(twoWaits)) {
            String id = harness.start("test.TwoWaits", order("o-4"));
            harness.awaitIdle(id);

            harness.publishEvent("evt-1", "paid", "o-4", "card");
            harness.awaitIdle(id);
            harness.advance(Duration.ofHours(1));
            harness.awaitIdle(id);
            harness.publishEvent("evt-1", "paid", "o-4", "card");

            WorkflowInstance after = harness.awaitIdle(id);
            assertThat(after.isFinished()).as("the second wait still waits").isFalse();
            assertThat(((Order) after.data()).log()).containsExactly("paid");
        }
    }
}
