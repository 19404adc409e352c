package net.reactory.workflow.adapter.amqp;

import java.time.Instant;

/** A command as read from the command queue (schema version 1). */
public sealed interface Command {

    /** The message {@code type} naming the command. */
    String type();

    /**
     * {@code startWorkflow}: the original's {@code {id, version, data, src}}, plus an optional {@code reference}
     * (defaulting to the message id) and {@code caller}.
     */
    record Start(String id, String version, Object data, String src, String reference, String caller) implements Command {
        public String type() { return "startWorkflow"; }
    }

    /** {@code publishEvent}: {@code {name, key, data, effectiveAt, eventId}}; the event id defaults to the message id. */
    record PublishEvent(String name, String key, Object data, Instant effectiveAt, String eventId) implements Command {
        public String type() { return "publishEvent"; }
    }

    /** {@code suspend}: {@code {instanceId, reason}}. */
    record Suspend(String instanceId, String reason) implements Command {
        public String type() { return "suspend"; }
    }

    /** {@code resume}: {@code {instanceId}}. */
    record Resume(String instanceId) implements Command {
        public String type() { return "resume"; }
    }

    /** {@code terminate}: {@code {instanceId, reason}}. */
    record Terminate(String instanceId, String reason) implements Command {
        public String type() { return "terminate"; }
    }
}
