package net.reactory.workflow.adapter.memory.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.application.service.ResilienceConfig;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.domain.definition.ErrorBehaviour;
import net.reactory.workflow.domain.instance.ExecutionPointer;
import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.definition.RetrySpec;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/** Acceptance 1: retry schedules on the settable clock, and no thread held while a retry waits. */
class RetryScheduleTest extends ResilienceFixture {

    private final List<Instant> attempts = new CopyOnWriteArrayList<>();

    private Workflow alwaysFailing(RetrySpec spec, int maxAttempts) {
        return Workflow.of("res", "Flaky", "1.0.0", steps -> steps.startWith("Call", ctx -> {
            attempts.add(ctx.now());
            throw new IOException("remote said no on attempt " + ctx.attempt());
        }).retry(spec).maxAttempts(maxAttempts).onError(ErrorBehaviour.FAIL));
    }

    @Test
    void givenBackoffOneSecondDoublingCappedAtFive_whenStepAlwaysFails_thenAttemptsAt0_1_3_7_12sThenFailed() {
        WorkflowRunnerService runner = runner(alwaysFailing(RetrySpec.backoff(Duration.ofSeconds(1), Duration.ofSeconds(5)).withJitter(0), 5));
        String id = start(runner, "res.Flaky");
        List<Duration> expectedDelays = List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(5));

        for (int retry = 0; retry < expectedDelays.size(); retry++) {
            int attemptsSoFar = retry + 1;
            await().atMost(WAIT).until(() -> attempts.size() == attemptsSoFar);
            awaitIdle(runner);
            WorkflowInstance waiting = awaitInstance(id, i -> i.lease() == null && i.pointers().get(0).attempt() == attemptsSoFar + 1);
            ExecutionPointer pointer = waiting.pointers().get(0);
            Instant due = attempts.get(retry).plus(expectedDelays.get(retry));
            assertThat(pointer.sleepUntil()).isEqualTo(due);
            assertThat(waiting.nextExecution()).isEqualTo(due);
            assertThat(runner.getState().running()).as("no thread holds an instance waiting for its retry").isZero();

            clock.set(due.minusMillis(1));
            assertThat(runner.pollNow()).as("nothing is due a millisecond early").isZero();
            assertThat(attempts).hasSize(attemptsSoFar);
            clock.set(due);
            runner.pollNow();
        }
        WorkflowInstance failed = awaitStatus(id, WorkflowStatus.FAILED);

        assertThat(attempts).containsExactly(T0, T0.plusSeconds(1), T0.plusSeconds(3), T0.plusSeconds(7), T0.plusSeconds(12));
        assertThat(failed.errors()).hasSize(5)
                .allSatisfy(e -> assertThat(e.type()).isEqualTo(IOException.class.getName()));
        assertThat(failed.errors()).extracting(e -> e.attempt()).containsExactly(1, 2, 3, 4, 5);
        assertThat(failed.errors()).extracting(e -> e.at()).containsExactlyElementsOf(attempts);
    }

    @Test
    void givenWorkflowPropsRetriesAndRunnerDefaults_whenStepFails_thenRunnerBackoffApplies() {
        Workflow flaky = Workflow.of("res", "Props", "1.0.0", steps -> steps.startWith("Call", ctx -> {
            attempts.add(ctx.now());
            throw new IllegalStateException("no");
        })).withProps(Map.of("retries", 2));
        WorkflowRunnerService runner = runner(config().withRetryDelays(Duration.ofSeconds(10), Duration.ofSeconds(15)), store, null, flaky);
        String id = start(runner, "res.Props");

        WorkflowInstance first = awaitInstance(id, i -> i.lease() == null && i.pointers().get(0).attempt() == 2);
        assertThat(first.pointers().get(0).sleepUntil()).isEqualTo(T0.plusSeconds(10));
        clock.set(T0.plusSeconds(10));
        runner.pollNow();
        WorkflowInstance second = awaitInstance(id, i -> i.lease() == null && i.pointers().get(0).attempt() == 3);
        assertThat(second.pointers().get(0).sleepUntil()).as("20 s capped at 15 s").isEqualTo(T0.plusSeconds(25));
        clock.set(T0.plusSeconds(25));
        runner.pollNow();

        assertThat(awaitStatus(id, WorkflowStatus.FAILED).errors()).hasSize(3);
        assertThat(attempts).containsExactly(T0, T0.plusSeconds(10), T0.plusSeconds(25));
    }

    @Test
    void givenJitterOfHalf_whenManyInstancesFail_thenEachRetryDelayWithinHalfAndOneAndAHalfOfBackoffAndTheyDiffer() {
        Workflow flaky = alwaysFailing(RetrySpec.backoff(Duration.ofSeconds(4), Duration.ofSeconds(5)), 2);
        WorkflowRunnerService runner = runner(config().withResilience(ResilienceConfig.defaults().withRetryJitter(0.5)), store, null, flaky);
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) ids.add(start(runner, "res.Flaky"));
        awaitIdle(runner);

        List<Duration> delays = ids.stream()
                .map(id -> awaitInstance(id, i -> i.lease() == null && i.pointers().get(0).attempt() == 2))
                .map(i -> Duration.between(T0, i.pointers().get(0).sleepUntil()))
                .toList();

        assertThat(delays).allSatisfy(d -> assertThat(d).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(5)));
        assertThat(delays.stream().distinct().count()).as("jitter spreads the retries").isGreaterThan(10);
    }

    @Test
    void givenAbortOnError_whenStepThrowsIt_thenNoRetryAndErrorBehaviourAppliesAtOnce() {
        Workflow strict = Workflow.of("res", "Strict", "1.0.0", steps -> steps.startWith("Call", ctx -> {
            attempts.add(ctx.now());
            throw new IllegalArgumentException("bad request: retrying will not help");
        }).retry(RetrySpec.backoff(Duration.ofSeconds(1), Duration.ofSeconds(1)).abortOn(IllegalArgumentException.class))
                .maxAttempts(5).onError(ErrorBehaviour.SUSPEND));
        WorkflowRunnerService runner = runner(strict);

        WorkflowInstance suspended = awaitStatus(start(runner, "res.Strict"), WorkflowStatus.SUSPENDED);

        assertThat(attempts).hasSize(1);
        assertThat(suspended.lastError().type()).isEqualTo(IllegalArgumentException.class.getName());
        assertThat(suspended.lastError().message()).contains("bad request");
        assertThat(suspended.lastError().at()).isEqualTo(T0);
    }
}
