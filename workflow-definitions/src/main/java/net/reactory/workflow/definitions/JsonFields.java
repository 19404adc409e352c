package net.reactory.workflow.definitions;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The fields of a definition document read with their types checked: each reader returns the value, or notes
 * the problem at its path and returns a fallback, so that one pass reports every problem.
 */
final class JsonFields {

    private JsonFields() {
    }

    static void unknownFields(JsonNode node, String path, Set<String> allowed, Problems p) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!allowed.contains(field)) {
                p.add(path + "." + field, "unknown field (allowed here: " + String.join(", ", new TreeSet<>(allowed)) + ")");
            }
        }
    }

    static String text(JsonNode node, String field, String path, boolean required, Problems p) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) p.add(path + "." + field, "missing");
            return null;
        }
        if (!v.isTextual()) {
            p.add(path + "." + field, "expected a text, found " + kind(v));
            return null;
        }
        if (required && v.asText().isBlank()) {
            p.add(path + "." + field, "must not be blank");
            return null;
        }
        return v.asText();
    }

    static boolean bool(JsonNode node, String field, String path, boolean fallback, Problems p) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return fallback;
        if (!v.isBoolean()) {
            p.add(path + "." + field, "expected true or false, found " + kind(v));
            return fallback;
        }
        return v.asBoolean();
    }

    static int integer(JsonNode node, String field, String path, int fallback, int min, Problems p) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return fallback;
        if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > Integer.MAX_VALUE) {
            p.add(path + "." + field, "expected a whole number of at least " + min + ", found " + v);
            return fallback;
        }
        return v.asInt();
    }

    /** ISO-8601 ({@code PT5M}) or milliseconds. */
    static Duration duration(JsonNode node, String field, String path, Problems p) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            p.add(path + "." + field, "missing: ISO-8601 such as PT5M, or milliseconds");
            return null;
        }
        try {
            Duration d = v.isIntegralNumber() ? Duration.ofMillis(v.asLong()) : v.isTextual() ? Duration.parse(v.asText().trim()) : null;
            if (d == null || d.isNegative()) throw new DateTimeParseException("", "", 0);
            return d;
        } catch (DateTimeParseException e) {
            p.add(path + "." + field, v + " is not a duration (ISO-8601 such as PT5M, or milliseconds, not negative)");
            return null;
        }
    }

    /** The node as plain Java values: maps, lists, strings, numbers, booleans. */
    @SuppressWarnings("unchecked")
    static <T> T value(ObjectMapper mapper, JsonNode node) {
        return (T) mapper.convertValue(node, Object.class);
    }

    static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
