package net.reactory.workflow.adapter.memory.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/** A step outliving its own lease: the node's poller claims the instance it is still running; nothing gets stuck. */
class OwnLeaseExpiryTest extends ResilienceFixture {

    @Test
    void givenStepRunningPastItsLease_whenOwnPollerClaimsIt_thenClaimHandedBackAndInstanceCompletesWithoutAnotherPoll() {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        Workflow slow = Workflow.of("res", "Slow", "1.0.0", steps -> steps.startWith("Long", ctx -> {
            if (runs.incrementAndGet() == 1 && !release.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
            return ExecutionResult.next();
        }));
        WorkflowRunnerService runner = runner(slow);
        String id = start(runner, "res.Slow");
        await().atMost(WAIT).until(() -> runs.get() == 1);

        clock.advance(Duration.ofSeconds(31));
        assertThat(runner.pollNow()).as("the expired lease is claimed").isEqualTo(1);
        assertThat(stored(id).lease()).as("and handed back at once: this node is still running it").isNull();
        release.countDown();

        awaitStatus(id, WorkflowStatus.COMPLETE);
        assertThat(runs).as("the stale run is dropped and the step runs again (at-least-once)").hasValue(2);
    }
}
