package net.reactory.workflow.application.port.in;

import java.util.Objects;

/**
 * Everything a start can say.
 *
 * @param workflowId {@code nameSpace.name} or {@code nameSpace.name@version}
 * @param version    null for the newest
 * @param reference  the caller's idempotency key, or null
 * @param caller     who asks, for the audit log
 * @param entryPoint through what: "api", "http", "amqp", "cli", "auto-start"
 */
public record StartRequest(String workflowId, String version, Object data, String reference, String caller, String entryPoint) {

    public StartRequest {
        Objects.requireNonNull(workflowId, "workflowId");
        caller = caller == null ? "anonymous" : caller;
        entryPoint = entryPoint == null ? "api" : entryPoint;
    }

    public static StartRequest of(String workflowId, String version, Object data) {
        return new StartRequest(workflowId, version, data, null, null, null);
    }

    public StartRequest withReference(String newReference) {
        return new StartRequest(workflowId, version, data, newReference, caller, entryPoint);
    }
}
