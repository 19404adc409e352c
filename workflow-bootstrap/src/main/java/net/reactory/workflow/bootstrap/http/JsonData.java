package net.reactory.workflow.bootstrap.http;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * How the admin API reads JSON bodies and turns their {@code data} into Java values, exactly.
 *
 * <p>Numbers: integers come back as {@code Integer}, {@code Long} or {@code BigInteger}, whichever holds them;
 * a number with a fraction or an exponent as a {@code Double} when the double says the same number (so
 * {@code 0.1} stays a {@code Double}), otherwise as the exact {@code BigDecimal} ({@code 0.1000000000000000000001},
 * {@code 1e-400}). A number beyond a double's range ({@code 1e400}) or finer than {@value #MIN_EXPONENT}
 * digits after the point is refused, naming its field: no store keeps it, and some consumers turn it into
 * infinity.
 *
 * <p>Structure: a body is refused when it repeats a key in one object, or nests deeper than {@value #MAX_DEPTH}
 * levels (the parser stops there, before building the tree).
 */
final class JsonData {

    /** The deepest nesting accepted in {@code data}; the body itself adds one level. */
    static final int MAX_DEPTH = 256;
    /** Numbers finer than this many digits after the point are refused (no store holds them; MongoDB's Decimal128 stops at 6176). */
    static final int MIN_EXPONENT = 6000;
    private static final BigDecimal LARGEST = new BigDecimal(Double.MAX_VALUE);

    private JsonData() {
    }

    static ObjectMapper mapper() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH + 1).build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        return JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
                .build();
    }

    /** {@code node} as maps, lists, strings, booleans, numbers and nulls; {@code field} names it in a refusal. */
    static Object toJava(JsonNode node, String field) {
        return value(node, field, 1);
    }

    private static Object value(JsonNode node, String path, int depth) {
        if (node == null || node.isNull() || node.isMissingNode()) return null;
        if (node.isContainerNode() && depth > MAX_DEPTH) throw nestedTooDeep(path);
        if (node.isObject()) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.put(e.getKey(), value(e.getValue(), path + "." + e.getKey(), depth + 1));
            }
            return out;
        }
        if (node.isArray()) {
            List<Object> out = new ArrayList<>(node.size());
            for (int i = 0; i < node.size(); i++) out.add(value(node.get(i), path + "[" + i + "]", depth + 1));
            return out;
        }
        if (node.isTextual()) return node.textValue();
        if (node.isBoolean()) return node.booleanValue();
        if (node.isIntegralNumber()) return node.numberValue();
        if (node.isNumber()) return number(node.decimalValue(), node, path);
        return node.asText();
    }

    private static Object number(BigDecimal exact, JsonNode node, String path) {
        if (node.isDouble() || node.isFloat()) {
            if (!Double.isFinite(node.doubleValue())) throw outOfRange(path, node.asText());
            return node.doubleValue();
        }
        if (exact.abs().compareTo(LARGEST) > 0) throw outOfRange(path, exact.toString());
        if (exact.scale() > MIN_EXPONENT) throw outOfRange(path, exact.toString());
        double d = exact.doubleValue();
        return BigDecimal.valueOf(d).compareTo(exact) == 0 ? (Object) d : exact;
    }

    static ApiException nestedTooDeep(String path) {
        String field = path.split("[.\\[]", 2)[0];
        return ApiException.invalid("field '" + field + "' is nested deeper than " + MAX_DEPTH + " levels");
    }

    private static ApiException outOfRange(String path, String text) {
        String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        return ApiException.invalid("field '" + path + "': the number " + shown + " is outside the accepted range (magnitudes up to "
                + Double.MAX_VALUE + ", at most " + MIN_EXPONENT + " digits after the point)");
    }
}
