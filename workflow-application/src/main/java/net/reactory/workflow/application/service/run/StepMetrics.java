package net.reactory.workflow.application.service.run;

import java.time.Duration;

import net.reactory.workflow.application.port.in.WorkflowInterceptor;
import net.reactory.workflow.application.port.out.RunnerMetrics;

/**
 * The runner's own step metric, as an interceptor: the duration and outcome of each attempt's body. Installed innermost,
 * and only when metrics are configured ({@link Interceptors#of}), so it times the body alone, as the executor used to,
 * and a runner without metrics keeps the empty chain's fast path.
 */
final class StepMetrics implements WorkflowInterceptor {

    private final RunnerMetrics metrics;

    StepMetrics(RunnerMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public StepOutcome aroundStep(StepAttempt attempt, Proceed next) throws InterruptedException {
        // Elapsed time on the monotonic clock, for the metric only: workflow time is the clock port's.
        long started = System.nanoTime();
        // Innermost, so next is the body's attempt: it returns whatever the body did, and throws only on a stop,
        // which is not an attempt to count.
        StepOutcome outcome = next.proceed();
        metrics.stepExecuted(attempt.instance().definition(), attempt.step(), Duration.ofNanos(System.nanoTime() - started),
                outcome.failed());
        return outcome;
    }
}
