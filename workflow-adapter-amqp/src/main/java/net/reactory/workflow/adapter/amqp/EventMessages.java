package net.reactory.workflow.adapter.amqp;

import java.time.Instant;
import java.util.Date;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;

import net.reactory.workflow.domain.instance.StepError;
import net.reactory.workflow.domain.instance.WorkflowEvent;

/** The JSON form (schema version 1) and message properties of a lifecycle event. */
final class EventMessages {

    static final int SCHEMA_VERSION = 1;

    private final ObjectMapper json;
    private final AmqpNames names;

    EventMessages(ObjectMapper json, AmqpNames names) {
        this.json = json;
        this.names = names;
    }

    record Message(String eventId, String routingKey, AMQP.BasicProperties properties, byte[] body) {
    }

    Message toMessage(WorkflowEvent event) {
        ObjectNode node = json.createObjectNode();
        node.put("schemaVersion", SCHEMA_VERSION);
        node.put("eventId", event.eventId());
        node.put("kind", AmqpNames.kind(event));
        node.put("instanceId", event.instanceId());
        node.put("workflow", event.definition().id().toString());
        node.put("version", event.definition().version().toString());
        node.put("revision", event.revision());
        node.put("at", event.at().toString());
        if (event instanceof WorkflowEvent.WorkflowStarted e) {
            node.put("reference", e.reference());
        } else if (event instanceof WorkflowEvent.StepCompleted e) {
            node.put("step", e.step());
            node.put("pointerId", e.pointerId());
        } else if (event instanceof WorkflowEvent.StepFailed e) {
            node.set("error", error(e.error()));
        } else if (event instanceof WorkflowEvent.RetryScheduled e) {
            node.put("step", e.step());
            node.put("attempt", e.attempt());
            node.put("retryAt", e.retryAt() == null ? null : e.retryAt().toString());
        } else if (event instanceof WorkflowEvent.WorkflowSuspended e) {
            node.put("reason", e.reason());
        } else if (event instanceof WorkflowEvent.WorkflowFailed e) {
            node.set("error", error(e.error()));
        } else if (event instanceof WorkflowEvent.WorkflowTerminated e) {
            node.put("reason", e.reason());
        }
        byte[] body;
        try {
            body = json.writeValueAsBytes(node);
        } catch (Exception e) {
            throw new IllegalStateException("could not write event " + event.eventId() + " as JSON", e);
        }
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .contentEncoding("utf-8")
                .deliveryMode(2)
                .messageId(event.eventId())
                .type(AmqpNames.kind(event))
                .timestamp(Date.from(event.at()))
                .appId("workflow-runner")
                .headers(Map.of("x-workflow-instance", event.instanceId(),
                        "x-workflow-definition", event.definition().toString(),
                        "x-workflow-revision", event.revision(),
                        "x-workflow-schema-version", SCHEMA_VERSION))
                .build();
        return new Message(event.eventId(), names.routingKey(event), props, body);
    }

    private ObjectNode error(StepError error) {
        ObjectNode node = json.createObjectNode();
        if (error == null) return node;
        node.put("step", error.step());
        node.put("type", error.type());
        node.put("message", error.message());
        node.put("attempt", error.attempt());
        Instant at = error.at();
        node.put("at", at == null ? null : at.toString());
        return node;
    }
}
