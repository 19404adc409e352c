package net.reactory.workflow.domain.language;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.instance.WorkflowStatus;
import net.reactory.workflow.domain.step.ExecutionResult;

/** Issue 15, defect 1: a retried container runs its block again from the beginning, after the compensations ran. */
class RetriedContainersTest {

    record Log(List<String> lines) {
        Log {
            lines = List.copyOf(lines);
        }

        static Log empty() {
            return new Log(List.of());
        }

        Log note(String line) {
            List<String> more = new ArrayList<>(lines);
            more.add(line);
            return new Log(more);
        }
    }

    private static WorkflowBuilder<Log> flow(String name) {
        return WorkflowBuilder.define("retry", name, "1.0.0", Log.class);
    }

    /** A step that fails the first {@code failures} times it runs, then notes {@code line}. */
    private static WorkflowBuilder.TypedBody<Log> failing(AtomicInteger failures, String line) {
        return (log, ctx) -> failures.getAndDecrement() > 0 ? ExecutionResult.fail("Flaky", line + " failed")
                : ExecutionResult.next(log.note(line));
    }

    private static List<String> lines(Drive d) {
        return ((Log) d.instance.data()).lines();
    }

    @Test
    void givenSagaWithAttemptsLeft_whenItsBlockFailsOnce_thenTheCompensationsRunAndTheBlockRunsAgainFromItsFirstStep() {
        AtomicInteger failures = new AtomicInteger(1);
        Workflow wf = flow("Saga")
                .saga("booking", s -> s
                        .startWith("flight", l -> l.note("flight")).compensateWith("cancel flight", l -> l.note("cancel flight"))
                        .then("hotel", failing(failures, "hotel")))
                .maxAttempts(3)
                .then("after", l -> l.note("after"))
                .build();

        Drive d = Drive.start(wf, Log.empty()).runToEnd();

        assertThat(d.instance.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(lines(d)).containsExactly("flight", "cancel flight", "flight", "hotel", "after");
    }

    @Test
    void givenNestedSagaWithAttemptsLeft_whenItsBlockFailsOnce_thenOnlyTheInnerSagaRunsAgainAndTheOuterGoesOn() {
        AtomicInteger failures = new AtomicInteger(1);
        Workflow wf = flow("Nested")
                .saga("outer", o -> o
                        .startWith("first", l -> l.note("first")).compensateWith("undo first", l -> l.note("undo first"))
                        .saga("inner", i -> i
                                .startWith("a", l -> l.note("a")).compensateWith("undo a", l -> l.note("undo a"))
                                .then("b", failing(failures, "b")))
                        .maxAttempts(2)
                        .then("last", l -> l.note("last")))
                .build();

        Drive d = Drive.start(wf, Log.empty()).runToEnd();

        assertThat(d.instance.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(lines(d)).containsExactly("first", "a", "undo a", "a", "b", "last");
    }

    @Test
    void givenNestedSagas_whenTheOuterIsRetried_thenTheInnerSagaStartsAfreshToo() {
        AtomicInteger failures = new AtomicInteger(1);
        Workflow wf = flow("NestedOuterRetry")
                .saga("outer", o -> o
                        .saga("inner", i -> i.startWith("a", l -> l.note("a")).compensateWith("undo a", l -> l.note("undo a")))
                        .then("b", failing(failures, "b")))
                .maxAttempts(2)
                .build();

        Drive d = Drive.start(wf, Log.empty()).runToEnd();

        assertThat(d.instance.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(lines(d)).containsExactly("a", "undo a", "a", "b");
    }

    @Test
    void givenRetriedSagaWhoseBlockWaitsForAnEvent_whenRetried_thenItWaitsAgainAndTheFirstEventDoesNotCountTwice() {
        AtomicInteger failures = new AtomicInteger(1);
        Workflow wf = flow("SagaWait")
                .saga("pay", s -> s
                        .waitFor("paid", "order.paid", l -> "o-1", (l, e) -> l.note("paid " + e)).compensateWith("refund", l -> l.note("refund"))
                        .then("ship", failing(failures, "ship")))
                .maxAttempts(2)
                .build();

        Drive d = Drive.start(wf, Log.empty()).run();
        d.deliver("e-1", "order.paid", "o-1", "card");
        d.runToEnd();

        assertThat(d.instance.status()).isEqualTo(WorkflowStatus.RUNNABLE);
        assertThat(d.instance.pointers()).anySatisfy(p -> assertThat(p.isWaiting()).isTrue());
        assertThat(lines(d)).containsExactly("paid card", "refund");

        d.deliver("e-2", "order.paid", "o-1", "cash");
        d.runToEnd();

        assertThat(d.instance.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(lines(d)).containsExactly("paid card", "refund", "paid cash", "ship");
    }

    @Test
    void givenRetriedForeachInASaga_whenAnItemFailsOnce_thenTheItemsRunAgainFromTheFirst() {
        AtomicInteger failures = new AtomicInteger(1);
        Workflow wf = flow("Foreach")
                .saga("tx", s -> s
                        .forEach("each", l -> List.of("x", "y"), f -> f
                                .then("pack", (l, ctx) -> "y".equals(ctx.item()) ? failing(failures, "pack y").run(l, ctx)
                                        : ExecutionResult.next(l.note("pack " + ctx.item())))
                                .compensateWith("unpack", (l) -> l.note("unpack")))
                        .maxAttempts(2))
                .build();

        Drive d = Drive.start(wf, Log.empty()).runToEnd();

        assertThat(d.instance.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(lines(d)).containsExactly("pack x", "unpack", "pack x", "pack y");
    }
}
