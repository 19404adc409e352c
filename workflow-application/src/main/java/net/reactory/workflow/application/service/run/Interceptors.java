package net.reactory.workflow.application.service.run;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import net.reactory.workflow.application.port.in.WorkflowInterceptor;
import net.reactory.workflow.application.port.in.WorkflowInterceptor.Proceed;
import net.reactory.workflow.application.port.in.WorkflowInterceptor.StepAttempt;
import net.reactory.workflow.application.port.in.WorkflowInterceptor.StepOutcome;
import net.reactory.workflow.domain.execution.Transition;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/**
 * The registered {@link WorkflowInterceptor}s, first registered outermost: the chain around a step attempt
 * ({@link #aroundStep}, called by {@link StepExecutor} only when {@link #isEmpty()} is false) and, as a
 * {@link TransitionEffects} installed only when there are some, the start and finish callbacks after each commit.
 */
public final class Interceptors implements TransitionEffects {

    private static final Logger log = LoggerFactory.getLogger(Interceptors.class);

    private final WorkflowInterceptor[] chain;

    public Interceptors(List<WorkflowInterceptor> interceptors) {
        this.chain = interceptors.toArray(WorkflowInterceptor[]::new);
    }

    public boolean isEmpty() {
        return chain.length == 0;
    }

    /** Runs {@code body} inside every interceptor; what an interceptor throws propagates, for the executor to record. */
    StepOutcome aroundStep(StepAttempt attempt, Proceed body) throws InterruptedException {
        return call(0, attempt, body);
    }

    private StepOutcome call(int index, StepAttempt attempt, Proceed body) throws InterruptedException {
        if (index == chain.length) return body.proceed();
        StepOutcome outcome = chain[index].aroundStep(attempt, () -> call(index + 1, attempt, body));
        if (outcome == null) {
            throw new IllegalStateException("interceptor " + chain[index].getClass().getName() + " returned no outcome for step '"
                    + attempt.step() + "'");
        }
        return outcome;
    }

    @Override
    public void afterCommit(Transition committed) {
        List<WorkflowEvent> changes = committed.changes();
        WorkflowInstance instance = committed.instance();
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
