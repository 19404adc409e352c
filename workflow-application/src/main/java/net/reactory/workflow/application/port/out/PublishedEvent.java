package net.reactory.workflow.application.port.out;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * An external event as stored: what {@code publishEvent} was given.
 *
 * @param id          idempotency key: publishing the same id twice stores and delivers it once
 * @param name        with {@code key}, what a waiting step matches on
 * @param data        handed to the step that receives it; may be null
 * @param effectiveAt when the event happened, as the publisher says; a wait matches events effective at or after its start
 * @param publishedAt when the runner stored it
 * @param traceContext the publisher's W3C trace context, handed to the step it resumes (a tracer links to it); empty for none
 */
public record PublishedEvent(String id, String name, String key, Object data, Instant effectiveAt, Instant publishedAt,
                             Map<String, String> traceContext) {

    /** An event whose publisher sent no trace context. */
    public PublishedEvent(String id, String name, String key, Object data, Instant effectiveAt, Instant publishedAt) {
        this(id, name, key, data, effectiveAt, publishedAt, Map.of());
    }

    public PublishedEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(effectiveAt, "effectiveAt");
        Objects.requireNonNull(publishedAt, "publishedAt");
        traceContext = traceContext == null || traceContext.isEmpty() ? Map.of() : Map.copyOf(traceContext);
    }
}
