package net.reactory.workflow.definitions;

/** Where the built-in {@code publish-event} step sends its event: normally the runner's {@code publishEvent}. */
@FunctionalInterface
public interface EventPublisher {

    /** {@code eventId} is the step's execution id, so a step run again after a crash publishes the same event once. */
    void publish(String eventId, String name, String key, Object data);
}
