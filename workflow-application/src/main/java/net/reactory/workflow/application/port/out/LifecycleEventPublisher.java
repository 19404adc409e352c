package net.reactory.workflow.application.port.out;

import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import net.reactory.workflow.domain.instance.WorkflowEvent;

/** Hands the change events of committed transitions to the outside world (a broker, listeners). */
public interface LifecycleEventPublisher {

    /** Called after the transition that raised {@code events} was stored; may be called again for the same events. */
    void publish(List<WorkflowEvent> events);

    /**
     * As {@link #publish(List)}, for events of an instance that continues the W3C trace {@code traceContext} (header name to
     * value, empty for none): a broker adapter writes it into each message's headers. Ignored by default.
     */
    default void publish(List<WorkflowEvent> events, Map<String, String> traceContext) {
        publish(events);
    }

    /** A publisher that handles the trace context itself: the plain {@link #publish(List)} is the call with none. */
    static LifecycleEventPublisher traced(BiConsumer<List<WorkflowEvent>, Map<String, String>> publish) {
        return new LifecycleEventPublisher() {
            @Override
            public void publish(List<WorkflowEvent> events) {
                publish.accept(events, Map.of());
            }

            @Override
            public void publish(List<WorkflowEvent> events, Map<String, String> traceContext) {
                publish.accept(events, traceContext);
            }
        };
    }

    /** Publishes to {@code target} as the runner does: the plain call when there is no trace context. */
    static void publishTo(LifecycleEventPublisher target, List<WorkflowEvent> events, Map<String, String> traceContext) {
        if (traceContext.isEmpty()) target.publish(events);
        else target.publish(events, traceContext);
    }

    LifecycleEventPublisher NONE = events -> { };
}
