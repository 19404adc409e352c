package net.reactory.workflow.definitions;

import static net.reactory.workflow.definitions.JsonFields.kind;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The conditions of {@code if}, {@code while} and {@code recur}, written as data rather than as code, so a
 * definition never runs an expression language:
 *
 * <pre>{@code
 * "paid"                                        the field paid is true
 * {"field": "tries", "lessThan": 3}             also atMost, greaterThan, atLeast (numbers), equals, notEquals
 * {"field": "coupon", "exists": true}           the field is there and not null
 * {"all": [...]}, {"any": [...]}, {"not": ...}  combined
 * }</pre>
 *
 * Fields are dotted paths into the data, as {@code ${...}} in texts. Numbers compare by value (1 equals 1.0); an
 * ordering comparison of a missing field is false, of a field holding no number fails the step, naming the field.
 */
final class Conditions {

    private static final Set<String> COMPARISONS = Set.of("equals", "notEquals", "lessThan", "atMost", "greaterThan", "atLeast", "exists");
    private static final Set<String> ORDERED = Set.of("lessThan", "atMost", "greaterThan", "atLeast");

    private final ObjectMapper mapper;

    Conditions(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The condition at {@code path}; a broken one notes its problems and reads as "false". */
    Predicate<Map<String, Object>> read(JsonNode node, String path, Problems p) {
        if (node == null || node.isNull()) {
            p.add(path, "missing: a field name, or an object such as {\"field\": \"tries\", \"lessThan\": 3}");
            return data -> false;
        }
        if (node.isTextual()) {
            String field = node.asText().trim();
            if (field.isEmpty()) p.add(path, "must not be blank");
            return data -> Boolean.TRUE.equals(Templates.field(data, field));
        }
        if (!node.isObject()) {
            p.add(path, "expected a field name or a condition object, found " + kind(node));
            return data -> false;
        }
        if (node.has("all") || node.has("any")) return combined(node, path, p);
        if (node.has("not")) {
            only(node, path, Set.of("not"), p);
            return read(node.get("not"), path + ".not", p).negate();
        }
        return comparison(node, path, p);
    }

    private Predicate<Map<String, Object>> combined(JsonNode node, String path, Problems p) {
        String word = node.has("all") ? "all" : "any";
        only(node, path, Set.of(word), p);
        JsonNode list = node.get(word);
        if (!list.isArray() || list.isEmpty()) {
            p.add(path + "." + word, "expected a non-empty array of conditions, found " + (list.isArray() ? "an empty one" : kind(list)));
            return data -> false;
        }
        List<Predicate<Map<String, Object>>> parts = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) parts.add(read(list.get(i), path + "." + word + "[" + i + "]", p));
        return word.equals("all")
                ? data -> parts.stream().allMatch(c -> c.test(data))
                : data -> parts.stream().anyMatch(c -> c.test(data));
    }

    private Predicate<Map<String, Object>> comparison(JsonNode node, String path, Problems p) {
        Set<String> allowed = new TreeSet<>(COMPARISONS);
        allowed.add("field");
        only(node, path, allowed, p);
        String field = JsonFields.text(node, "field", path, true, p);
        List<String> ops = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (COMPARISONS.contains(name)) ops.add(name);
        }
        if (ops.size() != 1) {
            p.add(path, "expected exactly one of " + String.join(", ", new TreeSet<>(COMPARISONS)) + ", found " + (ops.isEmpty() ? "none" : ops));
            return data -> false;
        }
        String op = ops.get(0);
        JsonNode operand = node.get(op);
        if (op.equals("exists") && !operand.isBoolean()) {
            p.add(path + ".exists", "expected true or false, found " + kind(operand));
            return data -> false;
        }
        if (ORDERED.contains(op) && !operand.isNumber()) {
            p.add(path + "." + op, "expected a number, found " + kind(operand));
            return data -> false;
        }
        if (field == null) return data -> false;
        Object expected = JsonFields.value(mapper, operand);
        return switch (op) {
            case "exists" -> data -> (Templates.field(data, field) != null) == operand.asBoolean();
            case "equals" -> data -> same(Templates.field(data, field), expected);
            case "notEquals" -> data -> !same(Templates.field(data, field), expected);
            default -> {
                BigDecimal bound = operand.decimalValue();
                yield data -> {
                    Object value = Templates.field(data, field);
                    if (value == null) return false;
                    int c = number(field, value).compareTo(bound);
                    return switch (op) {
                        case "lessThan" -> c < 0;
                        case "atMost" -> c <= 0;
                        case "greaterThan" -> c > 0;
                        default -> c >= 0;
                    };
                };
            }
        };
    }

    private static boolean same(Object actual, Object expected) {
        if (actual instanceof Number a && expected instanceof Number e) return decimal(a).compareTo(decimal(e)) == 0;
        return Objects.equals(actual, expected);
    }

    /** The field's number; anything but a number fails the step that asked, naming the field (a missing field compares false). */
    private static BigDecimal number(String field, Object value) {
        if (value instanceof Number n) return decimal(n);
        throw new IllegalArgumentException("the condition compares field '" + field + "' as a number, but it holds '" + value + "'");
    }

    private static BigDecimal decimal(Number n) {
        return n instanceof BigDecimal d ? d : new BigDecimal(n.toString());
    }

    private static void only(JsonNode node, String path, Set<String> allowed, Problems p) {
        JsonFields.unknownFields(node, path, allowed, p);
    }
}
