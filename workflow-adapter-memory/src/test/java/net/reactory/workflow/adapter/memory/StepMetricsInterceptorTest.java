package net.reactory.workflow.adapter.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import net.reactory.workflow.application.port.in.WorkflowInterceptor;
import net.reactory.workflow.application.port.out.RunnerMetrics;
import net.reactory.workflow.application.service.RunnerConfig;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.application.service.run.Interceptors;
import net.reactory.workflow.domain.definition.DefinitionKey;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;
import net.reactory.workflow.domain.step.ExecutionResult;

/** The runner's step metric is an interceptor, innermost, installed only when metrics are configured. */
class StepMetricsInterceptorTest {

    private static final Workflow PAY = Workflow.of("demo", "Pay", "1.0.0", steps -> steps
            .startWith("Reserve", ctx -> ExecutionResult.next())
            .then("Charge", ctx -> {
                throw new IllegalStateException("card declined");
            }).maxAttempts(1));

    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final List<WorkflowRunnerService> runners = new ArrayList<>();

    @AfterEach
    void stopRunners() {
        runners.forEach(r -> r.stop().join());
    }

    private final RunnerMetrics metrics = new RunnerMetrics() {
        @Override
        public void stepExecuted(DefinitionKey definition, String step, Duration duration, boolean failed) {
            seen.add("metric " + step + (failed ? " failed" : " ok") + (duration.isNegative() ? " negative" : ""));
        }
    };

    /** A registered interceptor, to show where in the chain the metric runs. */
    private final WorkflowInterceptor outer = new WorkflowInterceptor() {
        @Override
        public StepOutcome aroundStep(StepAttempt attempt, Proceed next) throws InterruptedException {
            seen.add("enter " + attempt.step());
            StepOutcome outcome = next.proceed();
            seen.add("leave " + attempt.step());
            return outcome;
        }
    };

    @Test
    void givenRunnerWithMetrics_whenStepsSucceedAndFail_thenEachAttemptIsRecordedInsideTheRegisteredInterceptors() {
        WorkflowRunnerService runner = WorkflowRunnerService.builder()
                .config(RunnerConfig.defaults().withPollInterval(Duration.ofHours(1)))
                .store(new MemoryInstanceStore()).eventStore(new MemoryEventStore())
                .metrics(metrics).interceptor(outer).workflows(List.of(PAY)).build();
        runners.add(runner);
        runner.initialize().join();

        String id = runner.startWorkflow("demo.Pay", "1.0.0", Map.of()).join();
        WorkflowInstance done = runner.awaitFinished(id, Duration.ofSeconds(10)).join();

        assertThat(done.status()).isEqualTo(WorkflowStatus.FAILED);
        assertThat(seen).containsExactly(
                "enter Reserve", "metric Reserve ok", "leave Reserve",
                "enter Charge", "metric Charge failed", "leave Charge");
    }

    @Test
    void givenNoMetricsAndNoInterceptors_whenTheChainIsBuilt_thenItIsEmptyAndInstallsNoCallbacks() {
        Interceptors none = Interceptors.of(List.of(), RunnerMetrics.NONE);

        assertThat(none.isEmpty()).isTrue();
        assertThat(none.hasCallbacks()).isFalse();
        assertThat(none.aroundSteps()).isEmpty();
    }

    @Test
    void givenMetrics_whenTheChainIsBuilt_thenTheStepMetricIsInnermostAndNotACallback() {
        Interceptors withMetrics = Interceptors.of(List.of(outer), metrics);
        Interceptors metricsOnly = Interceptors.of(List.of(), metrics);

        assertThat(withMetrics.aroundSteps()).hasSize(2).first().isSameAs(outer);
        assertThat(withMetrics.aroundSteps().get(1).getClass().getSimpleName()).isEqualTo("StepMetrics");
        assertThat(metricsOnly.isEmpty()).isFalse();
        assertThat(metricsOnly.hasCallbacks()).isFalse();
    }
}
