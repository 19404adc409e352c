package net.reactory.workflow.definitions;

import java.util.Objects;
import java.util.function.Supplier;

import net.reactory.workflow.application.port.in.WorkflowRunner;

/** Where the built-in {@code publish-event} step sends its event: normally the runner's {@code publishEvent}. */
@FunctionalInterface
public interface EventPublisher {

    /** {@code eventId} is the step's execution id, so a step run again after a crash publishes the same event once. */
    void publish(String eventId, String name, String key, Object data);

    /**
     * Publishes through the runner {@code runner} gives when a step runs, and waits until the runner has taken the
     * event, so the step completes only once the event is stored. A supplier, because the definitions are read
     * before the runner that registers them is built.
     */
    static EventPublisher to(Supplier<? extends WorkflowRunner> runner) {
        Objects.requireNonNull(runner, "runner");
        return (eventId, name, key, data) -> runner.get().publishEvent(eventId, name, key, data, null).join();
    }
}
