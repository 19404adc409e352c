package net.reactory.workflow.adapter.memory.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/** A step that outlives its lease keeps it while its node is alive; a dead node's lease still expires. */
class LeaseRenewalTest extends ResilienceFixture {

    private final CountDownLatch inStep = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger runs = new AtomicInteger();

    private final Workflow slow = Workflow.of("res", "Slow", "1.0.0", steps -> steps
            .startWith("Long", ctx -> {
                runs.incrementAndGet();
                inStep.countDown();
                release.await();
                return ExecutionResult.next();
            })
            .then("After", ctx -> ExecutionResult.next()));

    @Test
    void givenStepRunningFarLongerThanTheLease_whenItsNodeRenews_thenNoOtherNodeTakesItOverAndTheStepRunsOnce() throws Exception {
        WorkflowRunnerService owner = runner(config().withLeaseDuration(Duration.ofSeconds(30)), store, null, slow);
        WorkflowRunnerService other = runner(config().withLeaseDuration(Duration.ofSeconds(30)), store, null, slow);
        String id = start(owner, "res.Slow");
        assertThat(inStep.await(10, TimeUnit.SECONDS)).isTrue();

        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(20));
            assertThat(owner.renewLeasesNow()).as("renewals at +%d s", 20 * (i + 1)).isEqualTo(1);
            assertThat(other.pollNow()).as("claims by the other node at +%d s", 20 * (i + 1)).isZero();
        }
        release.countDown();

        assertThat(awaitStatus(id, WorkflowStatus.COMPLETE).revision()).isEqualTo(3);
        assertThat(runs).hasValue(1);
    }

    @Test
    void givenNodeThatStopsRenewing_whenItsLeaseExpiresMidStep_thenAnotherNodeTakesOverAndTheOldRunsSaveIsRefused() throws Exception {
        WorkflowRunnerService owner = runner(config().withLeaseDuration(Duration.ofSeconds(30)), store, null, slow);
        WorkflowRunnerService other = runner(config().withLeaseDuration(Duration.ofSeconds(30)), store, null, slow);
        String id = start(owner, "res.Slow");
        assertThat(inStep.await(10, TimeUnit.SECONDS)).isTrue();

        clock.advance(Duration.ofSeconds(31));
        assertThat(other.pollNow()).isEqualTo(1);
        release.countDown();

        assertThat(awaitStatus(id, WorkflowStatus.COMPLETE).status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(runs).as("at-least-once: the step ran on both nodes").hasValue(2);
        assertThat(owner.renewLeasesNow()).isZero();
    }
}
