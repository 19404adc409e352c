package net.reactory.workflow.application.service.run;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import net.reactory.workflow.application.port.in.WorkflowInterceptor.StepAttempt;
import net.reactory.workflow.application.port.in.WorkflowInterceptor.StepOutcome;
import net.reactory.workflow.application.port.in.LogSafe;
import net.reactory.workflow.application.service.RunnerConfig;
import net.reactory.workflow.application.service.StepTimeoutException;
import net.reactory.workflow.application.service.resilience.DependencyBreakers;
import net.reactory.workflow.application.service.resilience.RetryPolicy;
import net.reactory.workflow.domain.instance.ExecutionPointer;
import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.step.StepContext;
import net.reactory.workflow.domain.definition.StepDefinition;
import net.reactory.workflow.domain.instance.StepError;
import net.reactory.workflow.domain.definition.StepPolicy;
import net.reactory.workflow.domain.execution.Transition;
import net.reactory.workflow.domain.definition.WorkflowDefinition;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.execution.WorkflowTransitions;

/**
 * Runs one step body and turns what happened into a transition. Whatever the body does —
 * return, throw an exception, overflow its stack, run past its timeout — ends up on the instance,
 * never on the runner.
 *
 * <p>The plain step (no timeout, no dependency, a definition without props) costs one global permit and
 * nothing else: a timeout arms one scheduled interrupt, a dependency consults its circuit breaker, a
 * per-definition limit takes a second permit, each only for the steps that have it.
 */
public final class StepExecutor {

    private static final Logger log = LoggerFactory.getLogger(StepExecutor.class);

    private final InstantSource clock;
    private final Semaphore permits;
    private final RetryPolicy retries;
    private final DependencyBreakers breakers;
    private final ConcurrencyLimits limits;
    private final StepTimeouts timeouts;
    private final Duration defaultTimeout;
    private final Interceptors interceptors;

    public StepExecutor(InstantSource clock, RunnerConfig config) {
        this(clock, config, new Interceptors(List.of()));
    }

    /** With {@code interceptors} around each attempt, the step metric among them when configured ({@link Interceptors#of}). */
    public StepExecutor(InstantSource clock, RunnerConfig config, Interceptors interceptors) {
        this(clock, config, new DependencyBreakers(config.resilience()), interceptors);
    }

    StepExecutor(InstantSource clock, RunnerConfig config, DependencyBreakers breakers, Interceptors interceptors) {
        this.interceptors = interceptors;
        this.clock = clock;
        this.permits = new Semaphore(config.maxConcurrent());
        this.retries = new RetryPolicy(config);
        this.breakers = breakers;
        this.limits = new ConcurrencyLimits();
        this.timeouts = new StepTimeouts();
        this.defaultTimeout = config.resilience().defaultStepTimeout();
    }

    public DependencyBreakers breakers() {
        return breakers;
    }

    public void close() {
        timeouts.close();
    }

    /** Runs the pointer's step, which starts at {@code startedAt} (the caller has just read the clock). */
    public Transition execute(WorkflowInstance instance, WorkflowDefinition definition, ExecutionPointer pointer, Instant startedAt)
            throws InterruptedException {
        StepDefinition step = definition.step(pointer.stepId());
        StepPolicy policy = step.policy();
        if (policy.hasDependencies()) {
            Duration park = breakers.parkFor(policy.dependencies());
            if (park != null) return parked(instance, definition, pointer, step, park);
        }
        // The step metric, when configured, is the innermost interceptor (StepMetrics), so it sees the body alone.
        Attempt attempt = interceptors.isEmpty() ? attempt(instance, definition, pointer, step, startedAt)
                : intercepted(instance, definition, pointer, step, startedAt);
        if (policy.hasDependencies()) {
            if (!attempt.failed()) {
                breakers.succeeded(policy.dependencies());
            } else {
                breakers.failed(policy.dependencies());
                Duration park = breakers.openFor(policy.dependencies());
                if (park != null) {
                    // The failure opened a breaker, or came from a trial call it let through: the dependency is down,
                    // so the attempt is not counted against the step; it waits with the others.
                    log.warn("step '{}' of instance {} ({}) failed on attempt {} while its dependency is down, parked for {}: {}",
                            step.name(), instance.id(), instance.definition(), pointer.attempt(), park, LogSafe.of(attempt.describe()));
                    return parked(instance, definition, pointer, step, park);
                }
            }
        }
        return outcome(instance, definition, pointer, step, attempt);
    }

    /** What one call of a step body gave: its result, or what it threw (a timeout among them). */
    private record Attempt(ExecutionResult result, Throwable failure, boolean timedOut) {
        boolean failed() {
            return failure != null || result instanceof ExecutionResult.Fail;
        }

        String describe() {
            return failure != null ? failure.toString() : ((ExecutionResult.Fail) result).message();
        }
    }

    /**
     * The attempt inside the interceptors' chain. What an interceptor throws (or a null outcome) fails the attempt like a
     * step that throws; a stop (interruption) still propagates.
     */
    private Attempt intercepted(WorkflowInstance instance, WorkflowDefinition definition, ExecutionPointer pointer, StepDefinition step,
                                Instant startedAt) throws InterruptedException {
        StepAttempt seen = new StepAttempt(instance, step.name(), pointer.id(), pointer.attempt(), pointer.item(), startedAt);
        StepOutcome outcome;
        try {
            outcome = interceptors.aroundStep(seen, () -> {
                Attempt inner = attempt(instance, definition, pointer, step, startedAt);
                return new StepOutcome(inner.result(), inner.failure());
            });
        } catch (InterruptedException stopping) {
            throw stopping;
        } catch (Throwable e) { // NOPMD: an interceptor must never take the runner down either
            return new Attempt(null, e, false);
        }
        if (outcome.failure() == null && outcome.result() == null) {
            return new Attempt(null, new IllegalStateException("the interceptors gave step '" + step.name() + "' no result"), false);
        }
        return new Attempt(outcome.result(), outcome.failure(), outcome.failure() instanceof StepTimeoutException);
    }

    /** Calls the body within the global and per-definition limits and the step's timeout; nothing it throws escapes but a stop. */
    private Attempt attempt(WorkflowInstance instance, WorkflowDefinition definition, ExecutionPointer pointer, StepDefinition step,
                            Instant startedAt) throws InterruptedException {
        Semaphore limit = limits.forDefinition(definition);
        StepContext context = new StepContext(instance.id(), instance.definition(), step.name(), pointer.id(),
                pointer.attempt(), instance.data(), pointer.persistedState(), startedAt, pointer.item());
        Duration timeout = step.policy().timeout() != null ? step.policy().timeout() : defaultTimeout;
        ExecutionResult result = null;
        Throwable failure = null;
        boolean timedOut = false;
        // tryAcquire first: the uncontended case skips the interrupt check of acquire(), measurable at this rate.
        if (!permits.tryAcquire()) permits.acquire();
        try {
            if (limit != null && !limit.tryAcquire()) limit.acquire();
            try {
                StepTimeouts.Guard guard = timeout == null ? null : timeouts.start(Thread.currentThread(), timeout);
                try {
                    result = step.body().run(context);
                } catch (Throwable e) { // NOPMD: a step must never take the runner down, whatever it throws
                    failure = e;
                } finally {
                    timedOut = guard != null && guard.finish();
                }
            } finally {
                if (limit != null) limit.release();
            }
        } finally {
            permits.release();
        }
        if (timedOut) {
            failure = new StepTimeoutException(step.name(), timeout);
        } else if (failure instanceof InterruptedException stopping) {
            throw stopping;
        } else if (failure == null && result == null) {
            failure = new IllegalStateException("step '" + step.name() + "' returned null instead of an ExecutionResult");
        }
        return new Attempt(result, failure, timedOut);
    }

    /** The transition of an attempt that was not parked: success, a failure to retry, or the end of the step's attempts. */
    private Transition outcome(WorkflowInstance instance, WorkflowDefinition definition, ExecutionPointer pointer, StepDefinition step,
                               Attempt attempt) {
        Instant now = clock.instant();
        Throwable failure = attempt.failure();
        if (failure == null && attempt.result() instanceof ExecutionResult.Fail fail) {
            log.warn("step '{}' of instance {} ({}) failed on attempt {}: {}: {}", step.name(), instance.id(), instance.definition(),
                    pointer.attempt(), LogSafe.of(fail.type()), LogSafe.of(fail.message()));
            return failed(instance, definition, pointer, step, new StepError(step.name(), fail.type(), fail.message(), pointer.attempt(), now), null);
        }
        if (failure != null) {
            // One line per failure: the error is on the instance; the stack trace is for whoever turns on DEBUG.
            log.warn("step '{}' of instance {} ({}) failed on attempt {}: {}", step.name(), instance.id(), instance.definition(),
                    pointer.attempt(), LogSafe.of(failure));
            if (log.isDebugEnabled() && !(failure instanceof StackOverflowError) && !attempt.timedOut()) {
                log.debug("step '{}' of instance {} failed with", step.name(), instance.id(), failure);
            }
            return failed(instance, definition, pointer, step, StepError.of(step.name(), failure, pointer.attempt(), now), failure);
        }
        try {
            return WorkflowTransitions.stepSucceeded(instance, definition, pointer.id(), attempt.result(), now);
        } catch (IllegalArgumentException e) {
            return failed(instance, definition, pointer, step, StepError.of(step.name(), e, pointer.attempt(), now), e);
        }
    }

    /** A dependency's breaker is open: the pointer sleeps, same attempt, no error; nothing ran. */
    private Transition parked(WorkflowInstance instance, WorkflowDefinition definition, ExecutionPointer pointer, StepDefinition step,
                              Duration park) {
        log.debug("step '{}' of instance {} parked for {}: a dependency's circuit breaker is open", step.name(), instance.id(), park);
        return WorkflowTransitions.stepSucceeded(instance, definition, pointer.id(),
                new ExecutionResult.Sleep(park, pointer.persistedState(), Optional.empty()), clock.instant());
    }

    private Transition failed(WorkflowInstance instance, WorkflowDefinition definition, ExecutionPointer pointer, StepDefinition step,
                              StepError error, Throwable thrown) {
        Duration delay = pointer.attempt() < step.maxAttempts()
                ? retries.delayAfter(step, pointer.attempt(), error.type(), thrown)
                : null;
        return WorkflowTransitions.stepFailed(instance, definition, pointer.id(), error, delay, error.at());
    }
}
