package net.reactory.workflow.application.port.in;

import java.util.Map;
import java.util.Objects;

/**
 * Everything a start can say.
 *
 * @param workflowId   {@code nameSpace.name} or {@code nameSpace.name@version}
 * @param version      null for the newest
 * @param reference    the caller's idempotency key, or null
 * @param caller       who asks, for the audit log
 * @param entryPoint   through what: "api", "http", "amqp", "cli", "auto-start"
 * @param traceContext the caller's W3C trace context ({@code traceparent}, {@code tracestate}; see {@link TraceHeaders}),
 *                     stored with the instance so its steps continue the caller's trace; empty for none
 */
public record StartRequest(String workflowId, String version, Object data, String reference, String caller, String entryPoint,
                           Map<String, String> traceContext) {

    public StartRequest {
        Objects.requireNonNull(workflowId, "workflowId");
        caller = caller == null ? "anonymous" : caller;
        entryPoint = entryPoint == null ? "api" : entryPoint;
        traceContext = traceContext == null || traceContext.isEmpty() ? Map.of() : Map.copyOf(traceContext);
    }

    /** A start that continues no caller's trace. */
    public StartRequest(String workflowId, String version, Object data, String reference, String caller, String entryPoint) {
        this(workflowId, version, data, reference, caller, entryPoint, Map.of());
    }

    public static StartRequest of(String workflowId, String version, Object data) {
        return new StartRequest(workflowId, version, data, null, null, null);
    }

    public StartRequest withReference(String newReference) {
        return new StartRequest(workflowId, version, data, newReference, caller, entryPoint, traceContext);
    }

    /** The same start, continuing the caller's trace {@code context} (header name to value). */
    public StartRequest withTraceContext(Map<String, String> context) {
        return new StartRequest(workflowId, version, data, reference, caller, entryPoint, context);
    }
}
