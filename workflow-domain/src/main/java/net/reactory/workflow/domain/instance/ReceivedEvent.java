package net.reactory.workflow.domain.instance;

import java.time.Instant;

/** What a step that waited for an event is given as its persisted state when the event arrives. */
public record ReceivedEvent(String id, String name, String key, Object data, Instant effectiveAt) {
}
