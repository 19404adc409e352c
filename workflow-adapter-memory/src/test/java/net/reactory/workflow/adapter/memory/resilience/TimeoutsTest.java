package net.reactory.workflow.adapter.memory.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.application.service.StepTimeoutException;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.domain.execution.Deadlines;
import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.definition.RetrySpec;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/** Acceptance 2: step timeouts interrupt and retry; a workflow deadline ends an instance waiting for an event. */
class TimeoutsTest extends ResilienceFixture {

    private final AtomicInteger runs = new AtomicInteger();
    private final AtomicBoolean interrupted = new AtomicBoolean();

    private ExecutionResult slowThenQuick(net.reactory.workflow.domain.step.StepContext ctx) {
        if (runs.incrementAndGet() == 1) {
            try {
                Thread.sleep(Duration.ofMinutes(10)); // the simulated hung call the timeout must cut short
            } catch (InterruptedException e) {
                interrupted.set(true);
                Thread.currentThread().interrupt();
                return ExecutionResult.next();
            }
        }
        return ExecutionResult.next(Map.of("attempt", ctx.attempt()));
    }

    @Test
    void givenStepTimeout_whenFirstAttemptSleepsPastIt_thenInterruptedRecordedAsTimeoutAndRetriedToCompletion() {
        Workflow slow = Workflow.of("res", "Slow", "1.0.0", steps -> steps.startWith("Call", this::slowThenQuick)
                .timeout(Duration.ofMillis(100)).maxAttempts(2).retry(RetrySpec.backoff(Duration.ofSeconds(3), Duration.ofSeconds(3))));
        WorkflowRunnerService runner = runner(slow);
        String id = start(runner, "res.Slow");

        WorkflowInstance retrying = awaitInstance(id, i -> i.lease() == null && i.pointers().get(0).attempt() == 2);
        assertThat(interrupted).as("the step's thread was interrupted").isTrue();
        assertThat(retrying.lastError().type()).isEqualTo(StepTimeoutException.class.getName());
        assertThat(retrying.lastError().message()).contains("PT0.1S");
        assertThat(retrying.pointers().get(0).sleepUntil()).isEqualTo(T0.plusSeconds(3));
        awaitIdle(runner);
        clock.advance(Duration.ofSeconds(3));
        runner.pollNow();

        WorkflowInstance done = awaitStatus(id, WorkflowStatus.COMPLETE);
        assertThat(done.data()).isEqualTo(Map.of("attempt", 2));
        assertThat(runs).hasValue(2);
    }

    @Test
    void givenPropsTimeoutAndRetries_whenStepHangs_thenWorkflowDefaultsApplyToTheStep() {
        Workflow slow = Workflow.of("res", "SlowProps", "1.0.0", steps -> steps.startWith("Call", this::slowThenQuick))
                .withProps(Map.of("timeout", 100, "retries", 1));
        WorkflowRunnerService runner = runner(config().withRetryDelays(Duration.ofMillis(1), Duration.ofMillis(1)), store, null, slow);
        String id = start(runner, "res.SlowProps");
        awaitInstance(id, i -> i.lease() == null && i.pointers().get(0).attempt() == 2);
        awaitIdle(runner);
        clock.advance(Duration.ofMillis(1));
        runner.pollNow();

        assertThat(awaitStatus(id, WorkflowStatus.COMPLETE).errors()).singleElement()
                .satisfies(e -> assertThat(e.type()).isEqualTo(StepTimeoutException.class.getName()));
    }

    @Test
    void givenDeadlineWithOnDeadlineFail_whenInstanceWaitsForEventPastIt_thenFailedWithDeadlineError() {
        Workflow approval = Workflow.of("res", "Approval", "1.0.0", steps -> steps
                .startWith("Ask", ctx -> ExecutionResult.waitForEvent("approved", "order-1", null))
                .then("Ship", ctx -> ExecutionResult.next()))
                .withProps(Map.of("deadline", 10_000, "onDeadline", "fail"));
        WorkflowRunnerService runner = runner(approval);
        String id = start(runner, "res.Approval");
        awaitInstance(id, i -> i.lease() == null && i.pointers().get(0).isWaiting());
        awaitIdle(runner);

        clock.advance(Duration.ofMillis(9_999));
        runner.pollNow();
        assertThat(stored(id).status()).as("before the deadline").isEqualTo(WorkflowStatus.RUNNABLE);
        clock.advance(Duration.ofMillis(1));
        runner.pollNow();

        WorkflowInstance failed = awaitStatus(id, WorkflowStatus.FAILED);
        assertThat(failed.lastError().type()).isEqualTo(Deadlines.ERROR_TYPE);
        assertThat(failed.lastError().at()).isEqualTo(T0.plusSeconds(10));
        assertThat(failed.completedAt()).isEqualTo(T0.plusSeconds(10));
        assertThat(runner.awaitFinished(id).join().status()).isEqualTo(WorkflowStatus.FAILED);
    }

    @Test
    void givenDeadlineWithDefaultBehaviour_whenSleepingInstancePassesIt_thenTerminatedAndItsStepNeverRunsAgain() {
        AtomicInteger naps = new AtomicInteger();
        Workflow napper = Workflow.of("res", "Napper", "1.0.0", steps -> steps.startWith("Nap", ctx -> {
            naps.incrementAndGet();
            return ExecutionResult.sleep(Duration.ofMinutes(5), null);
        })).withProps(Map.of("deadline", Duration.ofMinutes(1)));
        WorkflowRunnerService runner = runner(napper);
        String id = start(runner, "res.Napper");
        awaitInstance(id, i -> i.lease() == null && i.pointers().get(0).sleepUntil() != null);
        awaitIdle(runner);

        clock.advance(Duration.ofMinutes(10));
        runner.pollNow();

        assertThat(awaitStatus(id, WorkflowStatus.TERMINATED).lastError().type()).isEqualTo(Deadlines.ERROR_TYPE);
        awaitIdle(runner);
        assertThat(naps).hasValue(1);
    }
}
