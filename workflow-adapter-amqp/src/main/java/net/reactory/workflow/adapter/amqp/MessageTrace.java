package net.reactory.workflow.adapter.amqp;

import java.util.HashMap;
import java.util.Map;

import com.rabbitmq.client.AMQP;

import net.reactory.workflow.application.port.in.TraceHeaders;

/**
 * W3C trace context in AMQP message headers, as the OpenTelemetry messaging conventions carry it: {@code traceparent}
 * and {@code tracestate} read from a command's headers (a malformed one is dropped, never refused), and written into
 * the headers of the lifecycle events of a traced instance.
 */
final class MessageTrace {

    private MessageTrace() {
    }

    /** The sender's trace context; empty when the message carries none (or a malformed one). */
    static Map<String, String> of(AMQP.BasicProperties properties) {
        Map<String, Object> headers = properties.getHeaders();
        if (headers == null || headers.isEmpty()) return Map.of();
        Object parent = headers.get(TraceHeaders.TRACEPARENT);
        if (parent == null) return Map.of();
        Object state = headers.get(TraceHeaders.TRACESTATE);
        return TraceHeaders.of(parent.toString(), state == null ? null : state.toString());
    }

    /** {@code headers} with the trace context added; the same map when there is none to add. */
    static Map<String, Object> withContext(Map<String, Object> headers, Map<String, String> traceContext) {
        if (traceContext.isEmpty()) return headers;
        Map<String, Object> out = new HashMap<>(headers);
        out.putAll(traceContext);
        return out;
    }
}
