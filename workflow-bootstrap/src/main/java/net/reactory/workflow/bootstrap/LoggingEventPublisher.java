package net.reactory.workflow.bootstrap;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import net.reactory.workflow.application.port.in.LogSafe;
import net.reactory.workflow.application.port.out.LifecycleEventPublisher;
import net.reactory.workflow.domain.instance.WorkflowEvent;

/** Logs how instances start and end, so an operator reading the daemon's log sees every new instance and every outcome. */
final class LoggingEventPublisher implements LifecycleEventPublisher {

    private static final Logger log = LoggerFactory.getLogger("workflow.lifecycle");

    @Override
    public void publish(List<WorkflowEvent> events) {
        for (WorkflowEvent event : events) {
            switch (event) {
                case WorkflowEvent.WorkflowStarted e -> log.info("instance {} of {} started{}", e.instanceId(), e.definition(),
                        e.reference() == null ? "" : " with reference " + e.reference());
                case WorkflowEvent.WorkflowCompleted e -> log.info("instance {} of {} completed", e.instanceId(), e.definition());
                case WorkflowEvent.WorkflowFailed e -> log.warn("instance {} of {} failed in step '{}': {} {}", e.instanceId(), e.definition(),
                        e.error().step(), e.error().type(), LogSafe.of(e.error().message()));
                case WorkflowEvent.WorkflowTerminated e -> log.info("instance {} of {} terminated: {}", e.instanceId(), e.definition(), LogSafe.of(e.reason()));
                case WorkflowEvent.WorkflowSuspended e -> log.info("instance {} of {} suspended: {}", e.instanceId(), e.definition(), LogSafe.of(e.reason()));
                default -> log.debug("instance {} of {}: {}", event.instanceId(), event.definition(), event.kind());
            }
        }
    }
}
