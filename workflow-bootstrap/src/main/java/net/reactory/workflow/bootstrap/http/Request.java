package net.reactory.workflow.bootstrap.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.reactory.workflow.application.port.in.InstantRange;

/**
 * One admin API request as a resource sees it: the method, the path below the resource's root, the query
 * parameters, who called, and the body read within the size limit. Every malformed part is a 400 or 422
 * naming what was wrong.
 */
final class Request {

    static final int MAX_PATH = 1024;
    private static final int MAX_QUERY = 2048;
    private static final Pattern ASCII_DIGITS = Pattern.compile("-?[0-9]{1,10}");
    private static final Pattern CALLER = Pattern.compile("[A-Za-z0-9._:@/-]{1,64}");
    /** A refused body is read and dropped up to this size so the client sees the 413; beyond it the connection is closed. */
    private static final long DRAIN_CAP = 16L * 1024 * 1024;

    private final Exchange exchange;
    private final List<String> path;
    /** Null until the request is handed to a resource: the health and metrics paths ignore the query. */
    private final Map<String, String> query;
    private final int maxBodyBytes;
    private final ObjectMapper json;

    private Request(Exchange exchange, List<String> path, Map<String, String> query, int maxBodyBytes, ObjectMapper json) {
        this.exchange = exchange;
        this.path = path;
        this.query = query;
        this.maxBodyBytes = maxBodyBytes;
        this.json = json;
    }

    /** The request with its whole path split into decoded segments; the query waits for {@link #below}. */
    static Request of(Exchange exchange, int maxBodyBytes, ObjectMapper json) {
        String rawPath = exchange.rawPath();
        if (rawPath == null || rawPath.length() > MAX_PATH) throw ApiException.badRequest("path is missing or longer than " + MAX_PATH + " characters");
        return new Request(exchange, segments(rawPath), null, maxBodyBytes, json);
    }

    /** This request as seen by a resource mounted {@code depth} segments down, with its query parsed. */
    Request below(int depth) {
        Map<String, String> parsed = query != null ? query : parseQuery(exchange.rawQuery());
        return new Request(exchange, path.subList(depth, path.size()), parsed, maxBodyBytes, json);
    }

    String method() {
        return exchange.method();
    }

    /** The decoded path segments below the resource's root. */
    List<String> path() {
        return path;
    }

    /** A request header's first value, or null. */
    String header(String name) {
        return exchange.header().apply(name);
    }

    /** Refuses with 405 unless the method is one of {@code allowed}. */
    void allow(String... allowed) {
        for (String a : allowed) {
            if (a.equals(method())) return;
        }
        throw new ApiException(405, "method_not_allowed", "method " + printable(method()) + " is not allowed here; allowed: " + String.join(", ", allowed));
    }

    /** The caller named in {@code X-Workflow-Caller} (or "anonymous") at the remote address, for the audit log. */
    String caller() {
        String named = header("X-Workflow-Caller");
        String who = named != null && CALLER.matcher(named).matches() ? named : "anonymous";
        String from = exchange.remoteAddress() == null ? "?" : exchange.remoteAddress();
        return who + "@" + from;
    }

    // ---------------------------------------------------------------- body

    /** A JSON object body, required. */
    JsonNode body() throws IOException {
        byte[] bytes = readBody();
        if (bytes.length == 0) throw ApiException.badRequest("a JSON object body is required");
        return object(bytes);
    }

    /** A JSON object body, or an empty object when none was sent. */
    JsonNode optionalBody() throws IOException {
        byte[] bytes = readBody();
        return bytes.length == 0 ? json.createObjectNode() : object(bytes);
    }

    private JsonNode object(byte[] bytes) throws IOException {
        JsonNode node;
        try {
            node = json.readTree(bytes);
        } catch (StreamConstraintsException e) {
            throw ApiException.invalid("the body is nested deeper than " + JsonData.MAX_DEPTH + " levels (data may nest "
                    + JsonData.MAX_DEPTH + " levels deep)");
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) throw ApiException.badRequest("the body must be a JSON object");
        return node;
    }

    private byte[] readBody() throws IOException {
        String length = header("Content-Length");
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("Content-Length is not a number");
            }
            if (declared > maxBodyBytes) {
                if (declared <= DRAIN_CAP) drain(exchange.body());
                throw tooLarge();
            }
        }
        InputStream in = exchange.body();
        byte[] bytes = in.readNBytes(maxBodyBytes + 1);
        if (bytes.length > maxBodyBytes) {
            drain(in);
            throw tooLarge();
        }
        return bytes;
    }

    /** Reads and drops what is left of a refused body, so the client can read the 413 instead of seeing its connection reset. */
    private static void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        int n;
        while (total < DRAIN_CAP && (n = in.read(buffer)) >= 0) total += n;
    }

    private ApiException tooLarge() {
        return new ApiException(413, "payload_too_large", "the body is larger than " + maxBodyBytes + " bytes");
    }

    /** The body's {@code data} as plain Java values with exact numbers ({@link JsonData}), or {@code absent} when missing or null. */
    Object data(JsonNode body, Object absent) {
        return body.has("data") && !body.get("data").isNull() ? JsonData.toJava(body.get("data"), "data") : absent;
    }

    // ---------------------------------------------------------------- fields and parameters

    /** A text field of a JSON body; a missing required one or one of another type is a 422. */
    static String text(JsonNode body, String field, boolean required) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            if (required) throw ApiException.invalid("field '" + field + "' is required");
            return null;
        }
        if (!node.isTextual()) throw ApiException.invalid("field '" + field + "' must be a string");
        return node.asText();
    }

    /** A query parameter, or null. */
    String param(String name) {
        return query().get(name);
    }

    private Map<String, String> query() {
        return query != null ? query : Map.of();
    }

    int intParam(String name, int fallback, int min, int max) {
        String v = query().get(name);
        if (v == null) return fallback;
        try {
            if (!ASCII_DIGITS.matcher(v).matches()) throw new NumberFormatException(); // parseInt would take other scripts' digits
            int n = Integer.parseInt(v);
            if (n < min || n > max) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.invalid(name + " '" + printable(v) + "' is not a whole number from " + min + " to " + max + " (ASCII digits 0-9)");
        }
    }

    Instant instantParam(String name) {
        String v = query().get(name);
        if (v == null) return null;
        return instant(v, name + " '" + printable(v) + "'");
    }

    /** An ISO-8601 instant within {@link InstantRange}; {@code what} names the value in the 422. */
    static Instant instant(String text, String what) {
        Instant at;
        try {
            at = Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(what + " is not an ISO-8601 instant such as 2026-01-31T12:00:00Z");
        }
        if (!InstantRange.contains(at)) throw ApiException.invalid(what + " is outside the accepted range " + InstantRange.describe());
        return at;
    }

    /** Shortened and stripped of control characters, so a hostile value cannot forge log lines or bloat a response. */
    static String printable(String s) {
        if (s == null) return "null";
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return cut.replaceAll("[\\p{Cntrl}]", "?");
    }

    // ---------------------------------------------------------------- parsing

    private static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        for (String raw : rawPath.split("/")) {
            if (raw.isEmpty()) continue;
            String s;
            try {
                s = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("malformed percent-encoding in the path");
            }
            if (s.equals(".") || s.equals("..") || s.contains("/") || s.contains("\\")) {
                throw ApiException.badRequest("path segments '.', '..' and encoded slashes are not allowed");
            }
            out.add(s);
        }
        return List.copyOf(out);
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) return out;
        if (raw.length() > MAX_QUERY) throw ApiException.badRequest("query string too long");
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            try {
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.put(k, v);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("malformed percent-encoding in the query");
            }
        }
        return out;
    }
}
