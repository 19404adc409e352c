package net.reactory.workflow.adapter.amqp;

import static net.reactory.workflow.adapter.amqp.BadCommandException.INVALID_FIELD;
import static net.reactory.workflow.adapter.amqp.BadCommandException.INVALID_INPUT;
import static net.reactory.workflow.adapter.amqp.BadCommandException.MALFORMED_JSON;
import static net.reactory.workflow.adapter.amqp.BadCommandException.MISSING_FIELD;
import static net.reactory.workflow.adapter.amqp.BadCommandException.OVERSIZE_BODY;
import static net.reactory.workflow.adapter.amqp.BadCommandException.UNKNOWN_TYPE;
import static net.reactory.workflow.adapter.amqp.BadCommandException.UNSUPPORTED_SCHEMA_VERSION;
import static net.reactory.workflow.adapter.amqp.BadCommandException.WRONG_CONTENT_TYPE;
import static net.reactory.workflow.adapter.amqp.BadCommandException.WRONG_FIELD_TYPE;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;

import net.reactory.workflow.application.port.in.InstantRange;

/** Reads a command from a message: its {@code type} property, content type, size and JSON body (schema version 1). */
final class CommandParser {

    static final int SCHEMA_VERSION = 1;

    private final ObjectMapper json;
    private final int maxBodyBytes;

    CommandParser(ObjectMapper json, int maxBodyBytes) {
        this.json = CommandData.reader(json);
        this.maxBodyBytes = maxBodyBytes;
    }

    Command parse(AMQP.BasicProperties props, byte[] body) throws BadCommandException {
        String contentType = props.getContentType();
        if (contentType != null && !isJson(contentType)) {
            throw new BadCommandException(WRONG_CONTENT_TYPE, "content type '" + contentType + "' is not application/json");
        }
        String encoding = props.getContentEncoding();
        if (encoding != null && !encoding.isBlank() && !encoding.equalsIgnoreCase("utf-8") && !encoding.equalsIgnoreCase("utf8")
                && !encoding.equalsIgnoreCase("identity")) {
            throw new BadCommandException(WRONG_CONTENT_TYPE, "content encoding '" + encoding + "' is not supported (send UTF-8 JSON)");
        }
        if (body.length > maxBodyBytes) {
            throw new BadCommandException(OVERSIZE_BODY, "body of " + body.length + " bytes exceeds the limit of " + maxBodyBytes);
        }
        String type = props.getType();
        if (type == null || type.isBlank()) {
            throw new BadCommandException(UNKNOWN_TYPE, "the message has no type property; expected startWorkflow, publishEvent, suspend, resume or terminate");
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (StreamConstraintsException e) {
            throw new BadCommandException(INVALID_INPUT, "body is nested deeper than " + CommandData.MAX_DEPTH + " levels (data may nest "
                    + CommandData.MAX_DEPTH + " levels deep)");
        } catch (JsonProcessingException e) {
            throw new BadCommandException(MALFORMED_JSON, "body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadCommandException(MALFORMED_JSON, "body is not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new BadCommandException(MALFORMED_JSON, "body must be a JSON object, not " + (root == null ? "empty" : root.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
        JsonNode schema = root.get("schemaVersion");
        if (schema != null && !schema.isNull() && (!schema.canConvertToInt() || !schema.isIntegralNumber() || schema.intValue() != SCHEMA_VERSION)) {
            throw new BadCommandException(UNSUPPORTED_SCHEMA_VERSION, "schemaVersion " + schema + " is not supported; this runner reads schemaVersion 1");
        }
        return switch (type) {
            case "startWorkflow" -> new Command.Start(required(root, "id"), optional(root, "version"), data(root),
                    optional(root, "src"), optional(root, "reference"), optional(root, "caller"));
            case "publishEvent" -> new Command.PublishEvent(required(root, "name"), required(root, "key"), data(root),
                    instant(root, "effectiveAt"), optional(root, "eventId"));
            case "suspend" -> new Command.Suspend(required(root, "instanceId"), optional(root, "reason"));
            case "resume" -> new Command.Resume(required(root, "instanceId"));
            case "terminate" -> new Command.Terminate(required(root, "instanceId"), optional(root, "reason"));
            default -> throw new BadCommandException(UNKNOWN_TYPE, "unknown command type '" + type
                    + "'; expected startWorkflow, publishEvent, suspend, resume or terminate");
        };
    }

    static boolean isJson(String contentType) {
        String base = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return base.equals("application/json") || base.equals("text/json") || (base.startsWith("application/") && base.endsWith("+json"));
    }

    private static String required(JsonNode root, String field) throws BadCommandException {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) throw new BadCommandException(MISSING_FIELD, "field '" + field + "' is missing");
        if (!node.isTextual()) throw new BadCommandException(WRONG_FIELD_TYPE, "field '" + field + "' must be a string, not " + kind(node));
        if (node.textValue().isBlank()) throw new BadCommandException(MISSING_FIELD, "field '" + field + "' is blank");
        return node.textValue();
    }

    private static String optional(JsonNode root, String field) throws BadCommandException {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) return null;
        if (!node.isTextual()) throw new BadCommandException(WRONG_FIELD_TYPE, "field '" + field + "' must be a string, not " + kind(node));
        return node.textValue().isBlank() ? null : node.textValue();
    }

    private static Instant instant(JsonNode root, String field) throws BadCommandException {
        String text = optional(root, field);
        if (text == null) return null;
        Instant at;
        try {
            at = Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new BadCommandException(INVALID_FIELD, "field '" + field + "' is not an ISO-8601 instant such as 2026-01-31T12:00:00Z: " + text);
        }
        if (!InstantRange.contains(at)) {
            throw new BadCommandException(INVALID_FIELD, "field '" + field + "' is outside the accepted range " + InstantRange.describe() + ": " + text);
        }
        return at;
    }

    private static Object data(JsonNode root) throws BadCommandException {
        JsonNode node = root.get("data");
        if (node == null || node.isNull()) return null;
        return CommandData.toJava(node, "data");
    }

    private static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
