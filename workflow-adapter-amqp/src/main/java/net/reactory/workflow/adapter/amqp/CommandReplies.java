package net.reactory.workflow.adapter.amqp;

import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;

/**
 * The answers to a command: the reply to its {@code replyTo} queue, when it names one ({@code {schemaVersion, ok,
 * command, ...}}, or {@code ok: false} with an {@code error}), and the seed's {@code reactory.workflow.started:<src>}
 * announcement of a start. Each answer is published with a broker confirm, added to the caller's list of confirms.
 */
final class CommandReplies {

    private final AmqpConnector connector;
    private final ObjectMapper json;
    private final InstantSource clock;

    CommandReplies(AmqpConnector connector, ObjectMapper json, InstantSource clock) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.json = Objects.requireNonNull(json, "json");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The start of a successful reply to {@code command}. */
    ObjectNode ok(Command command) {
        ObjectNode reply = json.createObjectNode();
        reply.put("schemaVersion", CommandParser.SCHEMA_VERSION);
        reply.put("ok", true);
        reply.put("command", command.type());
        return reply;
    }

    /** A refusal: {@code ok: false} and the error's {@code type} (the dead-letter reason) and {@code message}. */
    ObjectNode refused(String commandType, BadCommandException reason) {
        ObjectNode error = json.createObjectNode();
        error.put("schemaVersion", CommandParser.SCHEMA_VERSION);
        error.put("ok", false);
        error.put("command", commandType);
        ObjectNode detail = error.putObject("error");
        detail.put("type", reason.reason());
        detail.put("message", reason.getMessage());
        return error;
    }

    /** Publishes {@code body} to the request's {@code replyTo} queue, if it names one. */
    void reply(AMQP.BasicProperties request, ObjectNode body, List<CompletableFuture<Void>> confirms) {
        if (request.getReplyTo() == null || request.getReplyTo().isBlank()) return;
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                .contentType("application/json").correlationId(request.getCorrelationId())
                .type(body.path("command").asText("command") + ".reply").appId("workflow-runner").build();
        confirms.add(connector.publisher().publish("", request.getReplyTo(), props, bytes(body)));
    }

    /** The seed's answer to a start with a {@code src}: {@code reactory.workflow.started:<src>} on the events exchange. */
    void announceStarted(AMQP.BasicProperties request, Command.Start start, String instanceId, String reference,
                         List<CompletableFuture<Void>> confirms) {
        ObjectNode answer = json.createObjectNode();
        answer.put("schemaVersion", CommandParser.SCHEMA_VERSION);
        answer.put("instanceId", instanceId);
        answer.put("id", start.id());
        answer.put("version", start.version());
        answer.put("src", start.src());
        answer.put("reference", reference);
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                .contentType("application/json").deliveryMode(2).type("reactory.workflow.started")
                .messageId("started:" + instanceId).correlationId(request.getCorrelationId())
                .timestamp(new Date(clock.millis())).appId("workflow-runner").build();
        confirms.add(connector.publisher().publish(connector.names().events(), AmqpNames.startedAnswer(start.src()), props, bytes(answer)));
    }

    private byte[] bytes(ObjectNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (Exception e) {
            return node.toString().getBytes(StandardCharsets.UTF_8);
        }
    }
}
