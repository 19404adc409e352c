package net.reactory.workflow.adapter.amqp;

import static net.reactory.workflow.adapter.amqp.BadCommandException.INVALID_INPUT;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * A command's {@code data} as Java values, with exact numbers, as the admin API reads it: integers as
 * {@code Integer}, {@code Long} or {@code BigInteger}; other numbers as a {@code Double} when the double is the
 * same number, else the exact {@code BigDecimal}; a number beyond a double's range ({@code 1e400}) or finer than
 * {@value #MIN_EXPONENT} digits after the point refused as {@code invalid-input}, naming its field. A body
 * that repeats a key or nests deeper than {@value #MAX_DEPTH} levels in its data is refused too.
 */
final class CommandData {

    static final int MAX_DEPTH = 256;
    static final int MIN_EXPONENT = 6000;
    private static final BigDecimal LARGEST = new BigDecimal(Double.MAX_VALUE);

    private CommandData() {
    }

    /** {@code base} set to read bodies so (a copy: the caller's mapper is left as it was). */
    static ObjectMapper reader(ObjectMapper base) {
        ObjectMapper json = base.copy()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
        json.configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
        json.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH + 1).build());
        json.getFactory().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
        return json;
    }

    static Object toJava(JsonNode node, String field) throws BadCommandException {
        return value(node, field, field, 1);
    }

    private static Object value(JsonNode node, String field, String path, int depth) throws BadCommandException {
        if (node == null || node.isNull() || node.isMissingNode()) return null;
        if (node.isContainerNode() && depth > MAX_DEPTH) {
            throw new BadCommandException(INVALID_INPUT, "field '" + field + "' is nested deeper than " + MAX_DEPTH + " levels");
        }
        if (node.isObject()) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.put(e.getKey(), value(e.getValue(), field, path + "." + e.getKey(), depth + 1));
            }
            return out;
        }
        if (node.isArray()) {
            List<Object> out = new ArrayList<>(node.size());
            for (int i = 0; i < node.size(); i++) out.add(value(node.get(i), field, path + "[" + i + "]", depth + 1));
            return out;
        }
        if (node.isTextual()) return node.textValue();
        if (node.isBoolean()) return node.booleanValue();
        if (node.isIntegralNumber()) return node.numberValue();
        if (node.isNumber()) return number(node, path);
        return node.asText();
    }

    private static Object number(JsonNode node, String path) throws BadCommandException {
        if (node.isDouble() || node.isFloat()) {
            if (!Double.isFinite(node.doubleValue())) throw outOfRange(path, node.asText());
            return node.doubleValue();
        }
        BigDecimal exact = node.decimalValue();
        if (exact.abs().compareTo(LARGEST) > 0 || exact.scale() > MIN_EXPONENT) throw outOfRange(path, exact.toString());
        double d = exact.doubleValue();
        return BigDecimal.valueOf(d).compareTo(exact) == 0 ? (Object) d : exact;
    }

    private static BadCommandException outOfRange(String path, String text) {
        String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        return new BadCommandException(INVALID_INPUT, "field '" + path + "': the number " + shown + " is outside the accepted range (magnitudes up to "
                + Double.MAX_VALUE + ", at most " + MIN_EXPONENT + " digits after the point)");
    }
}
