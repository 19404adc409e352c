package net.reactory.workflow.application.port.out;

import java.util.List;

import net.reactory.workflow.domain.instance.WorkflowEvent;

/** Hands the change events of committed transitions to the outside world (a broker, listeners). */
public interface LifecycleEventPublisher {

    /** Called after the transition that raised {@code events} was stored; may be called again for the same events. */
    void publish(List<WorkflowEvent> events);

    LifecycleEventPublisher NONE = events -> { };
}
