package net.reactory.workflow.application.service.run;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import net.reactory.workflow.application.port.out.LifecycleEventPublisher;
import net.reactory.workflow.application.port.out.RunnerMetrics;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/** After a commit: its changes go to the lifecycle event publishers, and a finished instance is counted. */
public final class LifecyclePublishing implements TransitionEffects {

    private static final Logger log = LoggerFactory.getLogger(LifecyclePublishing.class);

    private final LifecycleEventPublisher publisher;
    private final RunnerMetrics metrics;

    public LifecyclePublishing(LifecycleEventPublisher publisher, RunnerMetrics metrics) {
        this.publisher = publisher;
        this.metrics = metrics;
    }

    @Override
    public void afterCommit(WorkflowInstance instance, List<WorkflowEvent> changes) {
        if (!changes.isEmpty()) {
            try {
                LifecycleEventPublisher.publishTo(publisher, changes, instance.traceContext());
            } catch (RuntimeException | StackOverflowError | LinkageError | AssertionError e) {
                // A throwing listener or publisher is logged with the instance and never stops the runner.
                log.warn("lifecycle event publisher failed for instance {}: {}", changes.get(0).instanceId(), e.toString());
            }
        }
        if (instance.isFinished()) {
            metrics.instanceFinished(instance.definition(), instance.status().name(),
                    java.time.Duration.between(instance.createdAt(), instance.updatedAt()));
        }
    }
}
