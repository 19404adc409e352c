package net.reactory.workflow.application.port.out;

import java.util.List;

import net.reactory.workflow.domain.instance.WorkflowEvent;

/** Hands the change events of committed transitions to the outside world (a broker, listeners). */
public interface LifecycleEventPublisher {

    /** Called after the transition that raised {@code events} was stored; may be called again for the same events. */
    void publish(List<WorkflowEvent> events);

    /**
     * As {@link #publish(List)}, for events of an instance that continues the W3C trace {@code traceContext} (header name to
     * value, empty for none): a broker adapter writes it into each message's headers. Ignored by default.
     */
    default void publish(List<WorkflowEvent> events, java.util.Map<String, String> traceContext) {
        publish(events);
    }

    LifecycleEventPublisher NONE = events -> { };
}
