package net.reactory.workflow.domain.instance;

import java.time.Instant;
import java.util.Map;

/**
 * What a step that waited for an event is given as its persisted state when the event arrives.
 *
 * @param traceContext the publisher's W3C trace context ({@code traceparent}, {@code tracestate}), for a tracer to link
 *                     the resumed step to the span that published the event; empty when the publisher sent none
 */
public record ReceivedEvent(String id, String name, String key, Object data, Instant effectiveAt, Map<String, String> traceContext) {

    public ReceivedEvent {
        traceContext = traceContext == null || traceContext.isEmpty() ? Map.of() : Map.copyOf(traceContext);
    }

    /** An event whose publisher sent no trace context. */
    public ReceivedEvent(String id, String name, String key, Object data, Instant effectiveAt) {
        this(id, name, key, data, effectiveAt, Map.of());
    }
}
