package net.reactory.workflow.adapter.memory.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/** Graceful stop: running steps get a deadline, then what is left is handed back so another node continues at once. */
class GracefulStopTest extends ResilienceFixture {

    @Test
    void givenStepStillRunningAtStopDeadline_whenStopped_thenInterruptedLeaseReleasedAndAnotherRunnerContinuesWithoutWaitingForExpiry() {
        CountDownLatch never = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        Workflow stubborn = Workflow.of("res", "Stubborn", "1.0.0", steps -> steps
                .startWith("First", ctx -> ExecutionResult.next())
                .then("Long", ctx -> {
                    if (runs.incrementAndGet() == 1) never.await();
                    return ExecutionResult.next(java.util.Map.of("finishedBy", ctx.attempt()));
                }));
        WorkflowRunnerService first = runner(config().withStopTimeout(Duration.ofMillis(200)), store, null, stubborn);
        String id = start(first, "res.Stubborn");
        await().atMost(WAIT).until(() -> runs.get() == 1);

        first.stop().join();

        WorkflowInstance handedBack = stored(id);
        assertThat(handedBack.status()).isEqualTo(WorkflowStatus.RUNNABLE);
        assertThat(handedBack.lease()).as("released, not left to expire").isNull();
        assertThat(first.isInitialized()).isFalse();
        WorkflowRunnerService second = runner(stubborn);
        assertThat(second.pollNow()).as("claimed at once, with the clock not moved past the old lease").isEqualTo(1);
        assertThat(awaitStatus(id, WorkflowStatus.COMPLETE).data()).isEqualTo(java.util.Map.of("finishedBy", 1));
        assertThat(runs).hasValue(2);
    }

    @Test
    void givenStepThatFinishesWithinTheStopDeadline_whenStopped_thenItsResultIsSavedAndTheLeaseReleased() {
        CountDownLatch release = new CountDownLatch(1);
        Workflow twoSteps = Workflow.of("res", "Two", "1.0.0", steps -> steps
                .startWith("Slowish", ctx -> {
                    release.await();
                    return ExecutionResult.next(java.util.Map.of("done", "Slowish"));
                })
                .then("Later", ctx -> ExecutionResult.next(java.util.Map.of("done", "Later"))));
        WorkflowRunnerService first = runner(config().withStopTimeout(Duration.ofSeconds(10)), store, null, twoSteps);
        String id = start(first, "res.Two");
        await().atMost(WAIT).until(() -> first.getState().running() == 1);

        var stopping = first.stop();
        await().atMost(WAIT).until(() -> !first.isInitialized());
        release.countDown();
        stopping.join();

        WorkflowInstance saved = stored(id);
        assertThat(saved.data()).isEqualTo(java.util.Map.of("done", "Slowish"));
        assertThat(saved.lease()).isNull();
        assertThat(saved.status()).isEqualTo(WorkflowStatus.RUNNABLE);
    }
}
