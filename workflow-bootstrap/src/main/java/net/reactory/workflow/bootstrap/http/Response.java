package net.reactory.workflow.bootstrap.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** What the admin API answers: a status, a content type, the body and any extra headers. */
record Response(int status, String contentType, byte[] body, Map<String, String> headers) {

    private static final ObjectMapper WRITER = new ObjectMapper();
    private static final String JSON = "application/json; charset=utf-8";

    static Response json(int status, Object value) {
        try {
            return new Response(status, JSON, WRITER.writeValueAsBytes(value), Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response not writable as JSON", e);
        }
    }

    static Response text(int status, String contentType, String body) {
        return new Response(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** {@code {"error":{"status":..,"code":..,"message":..}}}, with {@code Allow} on a 405. */
    static Response error(ApiException e) {
        ObjectNode error = WRITER.createObjectNode();
        error.put("status", e.status());
        error.put("code", e.code());
        error.put("message", e.getMessage());
        ObjectNode root = WRITER.createObjectNode();
        root.set("error", error);
        Map<String, String> headers = e.status() == 405 ? Map.of("Allow", allowFrom(e.getMessage())) : Map.of();
        try {
            return new Response(e.status(), JSON, WRITER.writeValueAsBytes(root), headers);
        } catch (JsonProcessingException x) {
            throw new IllegalStateException(x);
        }
    }

    private static String allowFrom(String message) {
        int i = message.indexOf("allowed: ");
        return i < 0 ? "GET" : message.substring(i + 9);
    }
}
