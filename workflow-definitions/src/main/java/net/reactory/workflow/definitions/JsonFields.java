package net.reactory.workflow.definitions;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The fields of a definition document read with their types checked: each reader returns the value, or notes
 * the problem at its path and returns a fallback, so that one pass reports every problem.
 */
final class JsonFields {

    private static final Pattern TEMPLATE = Pattern.compile("\\$\\{([^}]+)}");

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

    /**
     * A duration fixed in the document, or {@code "${field}"}: read from the data each time the step runs (ISO-8601
     * text or milliseconds there too). A field that holds no duration then fails the step, naming the field.
     */
    static Function<Map<String, Object>, Duration> durationOf(JsonNode node, String field, String path, Problems p) {
        JsonNode v = node.get(field);
        if (v != null && v.isTextual()) {
            Matcher m = TEMPLATE.matcher(v.asText().trim());
            if (m.matches()) {
                String from = m.group(1).trim();
                return data -> fromData(from, Templates.field(data, from));
            }
        }
        Duration fixed = duration(node, field, path, p);
        return data -> fixed;
    }

    private static Duration fromData(String field, Object value) {
        try {
            Duration d = value instanceof Number n && n.longValue() == n.doubleValue() ? Duration.ofMillis(n.longValue())
                    : value instanceof String text ? Duration.parse(text.trim()) : null;
            if (d != null && !d.isNegative()) return d;
        } catch (DateTimeParseException e) {
            // reported below, with the field's name
        }
        throw new IllegalArgumentException("field '" + field + "' holds " + (value == null ? "nothing" : "'" + value + "'")
                + ", not a duration (ISO-8601 such as PT5M, or milliseconds, not negative)");
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
