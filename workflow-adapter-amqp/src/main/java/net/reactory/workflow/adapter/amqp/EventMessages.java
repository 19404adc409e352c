package net.reactory.workflow.adapter.amqp;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

import com.rabbitmq.client.AMQP;

import net.reactory.workflow.domain.instance.StepError;
import net.reactory.workflow.domain.instance.WorkflowEvent;

/**
 * The JSON form (schema version 1) and message properties of a lifecycle event. The body is written straight into a
 * string, field by field: this runs for every event on the runner's threads, and building a JSON tree and a Jackson
 * generator for each cost a quarter of the node's CPU (JFR, {@code bench --via amqp}).
 */
final class EventMessages {

    static final int SCHEMA_VERSION = 1;

    private final AmqpNames names;

    EventMessages(AmqpNames names) {
        this.names = names;
    }

    record Message(String eventId, String routingKey, AMQP.BasicProperties properties, byte[] body) {
    }

    Message toMessage(WorkflowEvent event) {
        return toMessage(event, Map.of());
    }

    /** The message of an event of an instance that continues the trace {@code traceContext}: its headers carry it. */
    Message toMessage(WorkflowEvent event, Map<String, String> traceContext) {
        String kind = AmqpNames.kind(event);
        String eventId = event.eventId();
        String definition = event.definition().toString();
        Json body = new Json(256)
                .field("schemaVersion", SCHEMA_VERSION)
                .field("eventId", eventId)
                .field("kind", kind)
                .field("instanceId", event.instanceId())
                .field("workflow", event.definition().id().toString())
                .field("version", event.definition().version().toString())
                .field("revision", event.revision())
                .field("at", event.at().toString());
        switch (event) {
            case WorkflowEvent.WorkflowStarted e -> body.field("reference", e.reference());
            case WorkflowEvent.StepCompleted e -> body.field("step", e.step()).field("pointerId", e.pointerId());
            case WorkflowEvent.StepFailed e -> error(body, e.error());
            case WorkflowEvent.RetryScheduled e -> body.field("step", e.step()).field("attempt", e.attempt())
                    .field("retryAt", e.retryAt() == null ? null : e.retryAt().toString());
            case WorkflowEvent.WorkflowSuspended e -> body.field("reason", e.reason());
            case WorkflowEvent.WorkflowFailed e -> error(body, e.error());
            case WorkflowEvent.WorkflowTerminated e -> body.field("reason", e.reason());
            default -> { }
        }
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .contentEncoding("utf-8")
                .deliveryMode(2)
                .messageId(eventId)
                .type(kind)
                .timestamp(Date.from(event.at()))
                .appId("workflow-runner")
                .headers(MessageTrace.withContext(Map.of("x-workflow-instance", event.instanceId(),
                        "x-workflow-definition", definition,
                        "x-workflow-revision", event.revision(),
                        "x-workflow-schema-version", SCHEMA_VERSION), traceContext))
                .build();
        return new Message(eventId, names.routingKey(event, kind), props, body.bytes());
    }

    private static void error(Json body, StepError error) {
        body.open("error");
        if (error != null) {
            Instant at = error.at();
            body.field("step", error.step()).field("type", error.type()).field("message", error.message())
                    .field("attempt", error.attempt()).field("at", at == null ? null : at.toString());
        }
        body.close();
    }

    /** A JSON object written left to right: names are constants of this class, string values are escaped. */
    static final class Json {
        private final StringBuilder out;
        private boolean first = true;

        Json(int capacity) {
            out = new StringBuilder(capacity).append('{');
        }

        Json field(String name, String value) {
            name(name);
            if (value == null) {
                out.append("null");
            } else {
                string(value);
            }
            return this;
        }

        Json field(String name, long value) {
            name(name);
            out.append(value);
            return this;
        }

        void open(String name) {
            name(name);
            out.append('{');
            first = true;
        }

        void close() {
            out.append('}');
            first = false;
        }

        byte[] bytes() {
            return out.append('}').toString().getBytes(StandardCharsets.UTF_8);
        }

        private void name(String name) {
            if (!first) out.append(',');
            first = false;
            out.append('"').append(name).append("\":");
        }

        private void string(String value) {
            out.append('"');
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    case '\b' -> out.append("\\b");
                    case '\f' -> out.append("\\f");
                    default -> {
                        // Other control characters, and the two separators JavaScript reads as line ends.
                        if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }
    }
}
