package net.reactory.workflow.domain.language;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.domain.instance.ExecutionPointer;
import net.reactory.workflow.domain.instance.WorkflowStatus;
import net.reactory.workflow.domain.step.StepContext;

/** Issue 15, point 8: the step context in every lambda of the typed builder that decides something. */
class StepContextDecisionsTest {

    record Job(int workers, List<String> parts, Instant dueAt, List<String> log) {
        Job note(String s) {
            List<String> more = new ArrayList<>(log);
            more.add(s);
            return new Job(workers, parts, dueAt, more);
        }
    }

    private static WorkflowBuilder<Job> flow(String name) {
        return WorkflowBuilder.define("ctx", name, "1.0.0", Job.class);
    }

    private static Job job(int workers, String... parts) {
        return new Job(workers, List.of(parts), Drive.T0.plus(Duration.ofHours(2)), List.of());
    }

    private static List<String> waitingKeys(Drive d) {
        return d.instance.pointers().stream().map(ExecutionPointer::waitingFor).filter(w -> w != null).map(ExecutionPointer.EventWait::key).toList();
    }

    @Test
    void givenAForeachWhoseItemsAndDegreeComeFromDataAndContext_whenReached_thenThatManyBranchesRunAtOnceEachWaitingOnItsItemsKey() {
        Drive d = Drive.start(flow("Degree")
                .forEach("parts", (j, ctx) -> j.parts().stream().map(p -> ctx.instanceId() + "/" + p).toList(), (j, ctx) -> j.workers(),
                        f -> f.waitFor("done", "part.done", (j, ctx) -> "key-" + ctx.item(), (j, ctx) -> ctx.now().minusSeconds(60),
                                (j, e) -> j.note("got " + e)))
                .build(), job(2, "a", "b", "c")).run();

        assertThat(waitingKeys(d)).containsExactly("key-i-1/a", "key-i-1/b");
        assertThat(d.instance.pointers().stream().map(ExecutionPointer::waitingFor).filter(w -> w != null).map(ExecutionPointer.EventWait::effectiveDate))
                .containsOnly(Drive.T0.minusSeconds(60));

        d.deliver("e1", "part.done", "key-i-1/a", "A");
        d.run();

        assertThat(waitingKeys(d)).containsExactly("key-i-1/b", "key-i-1/c");
    }

    @Test
    void givenAForeachGivenANegativeDegreeOrNoListByTheData_whenReached_thenTheStepFailsSayingWhy() {
        Drive negative = Drive.start(flow("Negative").forEach("parts", (j, ctx) -> j.parts(), (j, ctx) -> j.workers(), f -> f.then("x", j -> j))
                .build(), job(-1, "a")).runToEnd();
        Drive none = Drive.start(flow("None").forEach("parts", (j, ctx) -> null, f -> f.then("x", j -> j)).build(), job(1)).runToEnd();

        assertThat(negative.instance.status()).isEqualTo(WorkflowStatus.FAILED);
        assertThat(negative.instance.lastError().message()).isEqualTo("foreach 'parts' was given parallelism -1: 0 (all at once) or more is needed");
        assertThat(none.instance.status()).isEqualTo(WorkflowStatus.FAILED);
        assertThat(none.instance.lastError().message()).isEqualTo("foreach 'parts' was given no item list (null)");
    }

    @Test
    void givenDelaysAndASchedulePerItem_whenReached_thenEachSleepsForTheDurationItsContextGives() {
        Drive d = Drive.start(flow("Delays")
                .forEach("parts", Job::parts, 0, f -> f.delay("cool", (j, ctx) -> Duration.ofMinutes(Integer.parseInt((String) ctx.item()))))
                .schedule("remind", (j, ctx) -> Duration.between(ctx.now(), j.dueAt()), f -> f.then("reminder", j -> j.note("reminded")))
                .build(), job(0, "5", "10")).run();

        assertThat(d.instance.pointers().stream().map(ExecutionPointer::sleepUntil).filter(t -> t != null))
                .containsExactlyInAnyOrder(Drive.T0.plus(Duration.ofMinutes(5)), Drive.T0.plus(Duration.ofMinutes(10)));

        d.runToEnd();

        assertThat(d.instance.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(((Job) d.instance.data()).log()).containsExactly("reminded");
        assertThat(d.now).isEqualTo(Drive.T0.plus(Duration.ofHours(2)));
    }

    @Test
    void givenDecideIfAndWhileReadingTheContext_whenRun_thenTheyChooseByItemAttemptAndTime() {
        Drive d = Drive.start(flow("Choices")
                .forEach("parts", Job::parts, f -> f
                        .decide("by item", (j, ctx) -> ctx.item(), b -> b
                                .when("a", x -> x.then("for a", j -> j.note("a")))
                                .when("b", x -> x.then("for b", j -> j.note("b")))))
                .ifThen("first attempt?", (j, ctx) -> ctx.attempt() == 1 && ctx.step().equals("first attempt?"), f -> f.then("yes", j -> j.note("attempt 1")))
                .whileDo("before noon?", (j, ctx) -> ctx.now().isBefore(Drive.T0.plus(Duration.ofMinutes(3))), f -> f
                        .then("tick", j -> j.note("tick")).delay("wait a minute", Duration.ofMinutes(1)))
                .build(), job(0, "a", "b")).runToEnd();

        assertThat(d.instance.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(((Job) d.instance.data()).log()).containsExactly("a", "b", "attempt 1", "tick", "tick", "tick");
    }

    @Test
    void givenTheContextOfAStep_thenItCarriesInstanceItemExecutionIdAttemptAndNow() {
        List<StepContext> seen = new ArrayList<>();
        Drive.start(flow("Seen").forEach("parts", Job::parts, f -> f.decide("look", (j, ctx) -> seen.add(ctx), b -> { })).build(), job(0, "a")).runToEnd();

        StepContext ctx = seen.get(0);
        assertThat(ctx.instanceId()).isEqualTo("i-1");
        assertThat(ctx.item()).isEqualTo("a");
        assertThat(ctx.attempt()).isEqualTo(1);
        assertThat(ctx.now()).isEqualTo(Drive.T0);
        assertThat(ctx.executionId()).isEqualTo("i-1:" + ctx.pointerId() + ":1");
    }
}
