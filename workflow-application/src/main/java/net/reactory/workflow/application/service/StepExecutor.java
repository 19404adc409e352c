package net.reactory.workflow.application.service;

import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.Semaphore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import net.reactory.workflow.application.port.out.RunnerMetrics;
import net.reactory.workflow.domain.ExecutionPointer;
import net.reactory.workflow.domain.ExecutionResult;
import net.reactory.workflow.domain.StepContext;
import net.reactory.workflow.domain.StepDefinition;
import net.reactory.workflow.domain.StepError;
import net.reactory.workflow.domain.Transition;
import net.reactory.workflow.domain.WorkflowDefinition;
import net.reactory.workflow.domain.WorkflowInstance;
import net.reactory.workflow.domain.WorkflowTransitions;

/**
 * Runs one step body and turns what happened into a transition. Whatever the body does —
 * return, throw an exception, overflow its stack — ends up on the instance, never on the runner.
 */
final class StepExecutor {

    private static final Logger log = LoggerFactory.getLogger(StepExecutor.class);

    private final InstantSource clock;
    private final Semaphore permits;
    private final RunnerMetrics metrics;
    private final RunnerConfig config;

    StepExecutor(InstantSource clock, RunnerConfig config, RunnerMetrics metrics) {
        this.clock = clock;
        this.config = config;
        this.metrics = metrics;
        this.permits = new Semaphore(config.maxConcurrent());
    }

    Transition execute(WorkflowInstance instance, WorkflowDefinition definition, ExecutionPointer pointer) throws InterruptedException {
        StepDefinition step = definition.step(pointer.stepId());
        StepContext context = new StepContext(instance.id(), instance.definition(), step.name(),
                instance.id() + ":" + pointer.id() + ":" + pointer.attempt(), pointer.attempt(), instance.data(),
                pointer.persistedState(), clock.instant());
        ExecutionResult result = null;
        Throwable failure = null;
        long started = System.nanoTime();
        permits.acquire();
        try {
            result = step.body().run(context);
            if (result == null) {
                failure = new IllegalStateException("step '" + step.name() + "' returned null instead of an ExecutionResult");
            }
        } catch (InterruptedException e) {
            throw e;
        } catch (Throwable e) { // NOPMD: a step must never take the runner down, whatever it throws
            failure = e;
        } finally {
            permits.release();
        }
        metrics.stepExecuted(instance.definition(), step.name(), Duration.ofNanos(System.nanoTime() - started),
                failure != null || result instanceof ExecutionResult.Fail);
        var now = clock.instant();
        if (failure == null && result instanceof ExecutionResult.Fail fail) {
            return failed(instance, definition, pointer, new StepError(step.name(), fail.type(), fail.message(), pointer.attempt(), now));
        }
        if (failure != null) {
            log.warn("step '{}' of instance {} ({}) failed on attempt {}: {}", step.name(), instance.id(), instance.definition(),
                    pointer.attempt(), failure.toString(), failure instanceof StackOverflowError ? null : failure);
            return failed(instance, definition, pointer, StepError.of(step.name(), failure, pointer.attempt(), now));
        }
        try {
            return WorkflowTransitions.stepSucceeded(instance, definition, pointer.id(), result, now);
        } catch (IllegalArgumentException e) {
            return failed(instance, definition, pointer, StepError.of(step.name(), e, pointer.attempt(), now));
        }
    }

    private Transition failed(WorkflowInstance instance, WorkflowDefinition definition, ExecutionPointer pointer, StepError error) {
        return WorkflowTransitions.stepFailed(instance, definition, pointer.id(), error, retryDelay(pointer.attempt()), error.at());
    }

    /** Exponential: the initial delay doubled per attempt already made, up to the ceiling. */
    Duration retryDelay(int attempt) {
        Duration delay = config.retryInitialDelay();
        for (int i = 1; i < attempt && delay.compareTo(config.retryMaxDelay()) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(config.retryMaxDelay()) > 0 ? config.retryMaxDelay() : delay;
    }
}
