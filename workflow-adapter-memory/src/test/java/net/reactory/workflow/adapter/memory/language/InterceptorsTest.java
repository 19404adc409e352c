package net.reactory.workflow.adapter.memory.language;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.application.port.in.WorkflowInterceptor;
import net.reactory.workflow.application.service.RunnerConfig;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.domain.definition.RetrySpec;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;
import net.reactory.workflow.domain.language.WorkflowBuilder;
import net.reactory.workflow.domain.step.ExecutionResult;

/** Issue 15, point 11: interceptors around each step attempt and at each workflow's start and end. */
class InterceptorsTest extends LanguageFixture {

    record Seen(String text) {
    }

    private static final ThreadLocal<String> TRACE = new ThreadLocal<>();
    private final Queue<String> calls = new ConcurrentLinkedQueue<>();

    /** Records its name before and after the rest of the chain, and what the attempt gave. */
    private WorkflowInterceptor named(String name) {
        return new WorkflowInterceptor() {
            @Override
            public StepOutcome aroundStep(StepAttempt attempt, Proceed next) throws InterruptedException {
                calls.add(name + ">" + attempt.step() + "#" + attempt.attempt());
                StepOutcome outcome = next.proceed();
                calls.add(name + "<" + attempt.step() + (outcome.failed() ? " failed" : " ok"));
                return outcome;
            }

            @Override
            public void workflowStarted(WorkflowInstance instance) {
                calls.add(name + " started " + instance.definition());
            }

            @Override
            public void workflowFinished(WorkflowInstance instance) {
                calls.add(name + " finished " + instance.status());
            }
        };
    }

    private WorkflowRunnerService runner(List<WorkflowInterceptor> interceptors, Workflow workflow) {
        var builder = WorkflowRunnerService.builder().config(RunnerConfig.defaults().withPollInterval(Duration.ofHours(1)))
                .store(store).eventStore(events).clock(clock).workflow(workflow);
        interceptors.forEach(builder::interceptor);
        WorkflowRunnerService runner = builder.build();
        runner.initialize().join();
        return runner;
    }

    @Test
    void givenTwoInterceptors_whenAStepIsRetried_thenEachAttemptRunsInsideBothFirstRegisteredOutermost() {
        int[] tries = {0};
        Workflow wf = WorkflowBuilder.define("icpt", "Chain", "1.0.0", Seen.class)
                .then("flaky", (s, ctx) -> ++tries[0] == 1 ? ExecutionResult.fail("Busy", "busy") : ExecutionResult.next())
                .maxAttempts(2).retry(RetrySpec.backoff(Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .build();
        WorkflowRunnerService runner = runner(List.of(named("outer"), named("inner")), wf);
        try {
            String id = start(runner, "icpt.Chain", new Seen(""));
            awaitParked(id);
            advance(runner, Duration.ofSeconds(2));

            assertThat(runner.awaitFinished(id, WAIT).join().status()).isEqualTo(WorkflowStatus.COMPLETE);
            assertThat(List.copyOf(calls)).containsExactly(
                    "outer started icpt.Chain@1.0.0", "inner started icpt.Chain@1.0.0",
                    "outer>flaky#1", "inner>flaky#1", "inner<flaky failed", "outer<flaky failed",
                    "outer>flaky#2", "inner>flaky#2", "inner<flaky ok", "outer<flaky ok",
                    "outer finished COMPLETE", "inner finished COMPLETE");
        } finally {
            runner.stop().join();
        }
    }

    @Test
    void givenAnInterceptorThatSetsAContext_whenTheStepRuns_thenTheBodySeesItAndItIsGoneAfterTheAttempt() {
        Workflow wf = WorkflowBuilder.define("icpt", "Context", "1.0.0", Seen.class)
                .then("read", s -> new Seen("trace " + TRACE.get()))
                .then("again", s -> new Seen(s.text() + ", then " + TRACE.get()))
                .build();
        WorkflowInterceptor tracer = new WorkflowInterceptor() {
            @Override
            public StepOutcome aroundStep(StepAttempt attempt, Proceed next) throws InterruptedException {
                TRACE.set(attempt.executionId().equals(attempt.instance().id() + ":" + attempt.pointerId() + ":1") ? attempt.step() : "?");
                try {
                    return next.proceed();
                } finally {
                    TRACE.remove();
                }
            }
        };
        WorkflowRunnerService runner = runner(List.of(tracer), wf);
        try {
            String id = start(runner, "icpt.Context", new Seen(""));

            assertThat(runner.awaitFinished(id, WAIT).join().data()).isEqualTo(new Seen("trace read, then again"));
        } finally {
            runner.stop().join();
        }
    }

    @Test
    void givenAnInterceptorThatThrows_whenAStepRuns_thenTheAttemptFailsOnTheInstanceAndTheRunnerGoesOn() {
        Workflow wf = WorkflowBuilder.define("icpt", "Broken", "1.0.0", Seen.class).then("any", s -> s).build();
        WorkflowInterceptor broken = new WorkflowInterceptor() {
            @Override
            public StepOutcome aroundStep(StepAttempt attempt, Proceed next) {
                throw new IllegalStateException("interceptor down");
            }
        };
        WorkflowRunnerService runner = runner(List.of(broken), wf);
        try {
            String id = start(runner, "icpt.Broken", new Seen(""));
            WorkflowInstance failed = runner.awaitFinished(id, WAIT).join();

            assertThat(failed.status()).isEqualTo(WorkflowStatus.FAILED);
            assertThat(failed.lastError().message()).isEqualTo("interceptor down");
            assertThat(start(runner, "icpt.Broken", new Seen(""))).isNotBlank();
        } finally {
            runner.stop().join();
        }
    }

    @Test
    void givenAnInterceptorThatReplacesAFailure_whenTheStepFails_thenTheRunnerUsesTheInterceptorsOutcome() {
        Workflow wf = WorkflowBuilder.define("icpt", "Rescue", "1.0.0", Seen.class)
                .then("fails", (s, ctx) -> ExecutionResult.fail("Nope", "nope")).build();
        WorkflowInterceptor rescue = new WorkflowInterceptor() {
            @Override
            public StepOutcome aroundStep(StepAttempt attempt, Proceed next) throws InterruptedException {
                StepOutcome outcome = next.proceed();
                return outcome.failed() ? StepOutcome.of(ExecutionResult.next(new Seen("rescued"))) : outcome;
            }
        };
        WorkflowRunnerService runner = runner(List.of(rescue), wf);
        try {
            String id = start(runner, "icpt.Rescue", new Seen(""));

            assertThat(runner.awaitFinished(id, WAIT).join().data()).isEqualTo(new Seen("rescued"));
        } finally {
            runner.stop().join();
        }
    }

    @Test
    void givenATerminatedInstance_whenTerminatedByCommand_thenTheInterceptorHearsOfItsEndOnce() {
        Workflow wf = WorkflowBuilder.define("icpt", "Stopped", "1.0.0", Seen.class)
                .waitFor("forever", "never", s -> "k", (s, e) -> s).build();
        WorkflowRunnerService runner = runner(List.of(named("only")), wf);
        try {
            String id = start(runner, "icpt.Stopped", new Seen(""));
            awaitParked(id);
            runner.terminate(id, "enough").join();
            runner.awaitFinished(id, WAIT).join();

            assertThat(calls.stream().filter(c -> c.startsWith("only finished"))).containsExactly("only finished TERMINATED");
        } finally {
            runner.stop().join();
        }
    }
}
