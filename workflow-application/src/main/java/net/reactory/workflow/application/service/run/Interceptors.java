package net.reactory.workflow.application.service.run;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import net.reactory.workflow.application.port.in.WorkflowInterceptor;
import net.reactory.workflow.application.port.in.WorkflowInterceptor.Proceed;
import net.reactory.workflow.application.port.in.WorkflowInterceptor.StepAttempt;
import net.reactory.workflow.application.port.in.WorkflowInterceptor.StepOutcome;
import net.reactory.workflow.application.port.out.RunnerMetrics;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/**
 * The registered {@link WorkflowInterceptor}s, first registered outermost: the chain around a step attempt
 * ({@link #aroundStep}, called by {@link StepExecutor} only when {@link #isEmpty()} is false) and, as a
 * {@link TransitionEffects} installed only when some are registered, the start and finish callbacks after each commit.
 */
public final class Interceptors implements TransitionEffects {

    private static final Logger log = LoggerFactory.getLogger(Interceptors.class);

    /** Around each step attempt: the registered ones, then the runner's own (its step metric), innermost. */
    private final WorkflowInterceptor[] steps;
    /** The registered ones only, for the start, change and finish callbacks, which the runner's own do not use. */
    private final WorkflowInterceptor[] chain;

    public Interceptors(List<WorkflowInterceptor> interceptors) {
        this(interceptors, List.of());
    }

    private Interceptors(List<WorkflowInterceptor> registered, List<WorkflowInterceptor> runnerOwn) {
        this.chain = registered.toArray(WorkflowInterceptor[]::new);
        List<WorkflowInterceptor> all = new java.util.ArrayList<>(registered);
        all.addAll(runnerOwn);
        this.steps = all.toArray(WorkflowInterceptor[]::new);
    }

    /**
     * The registered interceptors, and innermost the runner's step metric when {@code metrics} is not {@link
     * RunnerMetrics#NONE}: a runner with neither keeps the empty chain, so its steps allocate nothing for it.
     */
    public static Interceptors of(List<WorkflowInterceptor> registered, RunnerMetrics metrics) {
        return new Interceptors(registered, metrics == RunnerMetrics.NONE ? List.of() : List.of(new StepMetrics(metrics)));
    }

    /** Nothing around a step attempt: the executor calls the body directly. */
    public boolean isEmpty() {
        return steps.length == 0;
    }

    /** No registered interceptor: no callback at start, commit or finish, so none is installed. */
    public boolean hasCallbacks() {
        return chain.length > 0;
    }

    /** What runs around each step attempt, outermost first (for tests and diagnostics). */
    public List<WorkflowInterceptor> aroundSteps() {
        return List.of(steps);
    }

    /** Runs {@code body} inside every interceptor; what an interceptor throws propagates, for the executor to record. */
    StepOutcome aroundStep(StepAttempt attempt, Proceed body) throws InterruptedException {
        return call(0, attempt, body);
    }

    private StepOutcome call(int index, StepAttempt attempt, Proceed body) throws InterruptedException {
        if (index == steps.length) return body.proceed();
        StepOutcome outcome = steps[index].aroundStep(attempt, () -> call(index + 1, attempt, body));
        if (outcome == null) {
            throw new IllegalStateException("interceptor " + steps[index].getClass().getName() + " returned no outcome for step '"
                    + attempt.step() + "'");
        }
        return outcome;
    }

    @Override
    public void afterCommit(WorkflowInstance instance, List<WorkflowEvent> changes) {
        boolean finished = false;
        for (int i = 0; i < changes.size(); i++) {
            WorkflowEvent change = changes.get(i);
            if (change instanceof WorkflowEvent.WorkflowStarted) {
                for (WorkflowInterceptor interceptor : chain) notify(interceptor, instance, true);
            } else if (change instanceof WorkflowEvent.WorkflowCompleted || change instanceof WorkflowEvent.WorkflowFailed
                    || change instanceof WorkflowEvent.WorkflowTerminated) {
                finished = true;
            }
        }
        if (!changes.isEmpty()) {
            for (WorkflowInterceptor interceptor : chain) changed(interceptor, instance, changes);
        }
        if (finished) {
            for (WorkflowInterceptor interceptor : chain) notify(interceptor, instance, false);
        }
    }

    /**
     * The instance about to be created, carrying the trace context the interceptors chose ({@link
     * WorkflowInterceptor#traceContextAtStart}); called by {@link Starts} only when there are some.
     */
    WorkflowInstance atStart(WorkflowInstance created) {
        WorkflowInstance traced = created;
        for (WorkflowInterceptor interceptor : chain) {
            try {
                traced = traced.withTraceContext(interceptor.traceContextAtStart(traced));
            } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
                log.warn("interceptor {} failed on the trace context of new instance {} ({}): {}", interceptor.getClass().getName(),
                        created.id(), created.definition(), e.toString());
            }
        }
        return traced;
    }

    private static void changed(WorkflowInterceptor interceptor, WorkflowInstance instance, List<WorkflowEvent> changes) {
        try {
            interceptor.changesCommitted(instance, changes);
        } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
            log.warn("interceptor {} failed on the changes of instance {} ({}): {}", interceptor.getClass().getName(), instance.id(),
                    instance.definition(), e.toString());
        }
    }

    private static void notify(WorkflowInterceptor interceptor, WorkflowInstance instance, boolean started) {
        try {
            if (started) interceptor.workflowStarted(instance);
            else interceptor.workflowFinished(instance);
        } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
            log.warn("interceptor {} failed on the {} of instance {} ({}): {}", interceptor.getClass().getName(), started ? "start" : "end",
                    instance.id(), instance.definition(), e.toString());
        }
    }
}
