package net.reactory.workflow.tracing;

import java.util.HashMap;
import java.util.Map;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;

/**
 * The stored trace context (header name to value, as instances and events keep it) to and from OpenTelemetry's
 * {@link Context}. Always W3C trace context, whatever propagators the application configured: what is stored is
 * {@code traceparent} and {@code tracestate} by definition, and must read back the same on every node.
 */
final class TraceContexts {

    private static final TextMapPropagator W3C = W3CTraceContextPropagator.getInstance();

    private static final TextMapGetter<Map<String, String>> MAP_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private TraceContexts() {
    }

    /** The context {@code stored} continues; the root context when it is empty or unreadable (a new trace). */
    static Context extract(Map<String, String> stored) {
        if (stored == null || stored.isEmpty()) return Context.root();
        return W3C.extract(Context.root(), stored, MAP_GETTER);
    }

    /** The span context {@code stored} names, invalid when it names none. */
    static SpanContext spanContext(Map<String, String> stored) {
        return Span.fromContext(extract(stored)).getSpanContext();
    }

    /** {@code span}'s context to store; empty when the span is not a real one (no SDK installed). */
    static Map<String, String> of(Span span) {
        if (!span.getSpanContext().isValid()) return Map.of();
        Map<String, String> out = new HashMap<>(2);
        W3C.inject(Context.root().with(span), out, Map::put);
        return Map.copyOf(out);
    }
}
