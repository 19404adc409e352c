package net.reactory.workflow.adapter.mongo;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * Workflow data as readable BSON, through Jackson. Maps, lists, strings, booleans, {@code int},
 * {@code long}, {@code double} and {@link BigDecimal} are stored as themselves and come back as themselves,
 * maps as {@link LinkedHashMap}s.
 *
 * <p>Numbers come back exactly, wherever they are in the data. A {@link BigDecimal} or {@link BigInteger} of up
 * to 34 digits is a {@code Decimal128}; an integer {@code Decimal128} beyond a long's range comes back as a
 * {@code BigInteger} (JSON parses such integers so; a {@code BigDecimal} of that value and scale 0 does too,
 * equal in JSON). Beyond 34 digits, or beyond Decimal128's exponents, the number is stored as its text in a
 * one-field sub-document, {@code {"_bigDecimal": "…"}} or {@code {"_bigInteger": "…"}}, so it is not taken
 * for a string when read back (binary of a user subtype would be tighter, but not every MongoDB wire server
 * reads it). A map of data with exactly that one field and a number's text as its value is therefore read as
 * the number: those two names are reserved. Any other value, such as a record, is written as a sub-document through Jackson
 * ({@code Instant}s as ISO-8601 text), and its class name is kept beside it as a type hint, so it comes back
 * as the same type, equal; inside it, a value declared {@code Object} or as an interface carries a type hint of its
 * own ({@link PolymorphicSlots}), so it too comes back as the type it had. The hints are only followed for types the {@code allowedTypes} predicate accepts
 * (records, enums and {@code java.time}/{@code java.math} values by default): a document cannot make the
 * store instantiate an arbitrary class. Values nested inside an untyped map or list come back as maps and lists.
 */
public final class BsonData {

    /** A value ready for a document, and the class name to restore it with, or null. */
    public record Encoded(Object value, String type) {
    }

    public static final Predicate<Class<?>> DEFAULT_ALLOWED_TYPES = type -> type.isRecord() || type.isEnum()
            || type.getName().startsWith("java.time.") || type == BigDecimal.class || type == BigInteger.class;

    /** The one field of the sub-document that holds a number's text that Decimal128 cannot. */
    static final String BIG_DECIMAL = "_bigDecimal";
    static final String BIG_INTEGER = "_bigInteger";
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private static final Set<Class<?>> NATIVE = Set.of(String.class, Boolean.class, Integer.class, Long.class, Double.class);

    /** Untyped maps and lists, and the change events of the outbox: values as JSON says they are. */
    private final ObjectMapper mapper;
    /** Typed data (records...): values in {@code Object} or interface slots carry their type, see {@link PolymorphicSlots}. */
    private final ObjectMapper typedMapper;
    private final JsonNodeFactory nodes = JsonNodeFactory.withExactBigDecimals(true);
    private final Predicate<Class<?>> allowedTypes;
    private final ClassLoader classLoader;

    public BsonData() {
        this(DEFAULT_ALLOWED_TYPES, BsonData.class.getClassLoader());
    }

    public BsonData(Predicate<Class<?>> allowedTypes, ClassLoader classLoader) {
        this.allowedTypes = allowedTypes;
        this.classLoader = classLoader;
        this.mapper = mapperBuilder().build();
        this.typedMapper = mapperBuilder().setDefaultTyping(new PolymorphicSlots(allowedTypes, classLoader)).build();
    }

    private JsonMapper.Builder mapperBuilder() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                .nodeFactory(nodes);
    }

    ObjectMapper mapper() {
        return mapper;
    }

    public Encoded encode(Object data) {
        if (data == null) return new Encoded(null, null);
        if (NATIVE.contains(data.getClass())) return new Encoded(data, null);
        if (data instanceof BigDecimal d) {
            Decimal128 exact = decimal(d);
            return exact != null ? new Encoded(exact, null) : new Encoded(d.toString(), BigDecimal.class.getName());
        }
        boolean untyped = data instanceof Map<?, ?> || data instanceof Collection<?>;
        if (untyped) return new Encoded(toBson(mapper.valueToTree(data)), null);
        return new Encoded(toBson(typedMapper.valueToTree(data)), data.getClass().getName());
    }

    /** Restores a value written by {@link #encode}. */
    public Object decode(Object value, String type) {
        if (type == null) return toJava(value);
        Class<?> target = allowedType(type);
        if (target == null) return toJava(value);
        try {
            return typedMapper.treeToValue(toTree(value), target);
        } catch (Exception e) {
            throw new IllegalStateException("stored data of type " + type + " cannot be read back: " + e.getMessage(), e);
        }
    }

    /** Reads a value of a known type, such as a change event. */
    <T> T read(Object value, Class<T> type) {
        try {
            return mapper.treeToValue(toTree(value), type);
        } catch (Exception e) {
            throw new IllegalStateException("stored " + type.getSimpleName() + " cannot be read back: " + e.getMessage(), e);
        }
    }

    /** Writes a value of a known type as a document. */
    Object write(Object value) {
        return toBson(mapper.valueToTree(value));
    }

    private Class<?> allowedType(String name) {
        try {
            Class<?> type = Class.forName(name, false, classLoader);
            return allowedTypes.test(type) ? type : null;
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    private static Decimal128 decimal(BigDecimal d) {
        // Decimal128 holds exponents -6176..6111; testing first spares a rescale by 10^huge that would only fail.
        if (d.scale() > 6176 || d.scale() < -6111 - 34) return null;
        try {
            return new Decimal128(d);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private Object toBson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) return null;
        if (node.isObject()) {
            Document doc = new Document();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                doc.put(e.getKey(), toBson(e.getValue()));
            }
            return doc;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            for (JsonNode item : node) list.add(toBson(item));
            return list;
        }
        if (node.isTextual()) return node.textValue();
        if (node.isBoolean()) return node.booleanValue();
        if (node.isInt() || node.isShort()) return node.intValue();
        if (node.isLong()) return node.longValue();
        if (node.isDouble() || node.isFloat()) return node.doubleValue();
        if (node.isBigDecimal()) {
            Decimal128 exact = decimal(node.decimalValue());
            return exact != null ? exact : new Document(BIG_DECIMAL, node.decimalValue().toString());
        }
        if (node.isBigInteger()) {
            Decimal128 exact = decimal(new BigDecimal(node.bigIntegerValue()));
            return exact != null ? exact : new Document(BIG_INTEGER, node.bigIntegerValue().toString());
        }
        if (node.isBinary()) {
            try {
                return new Binary(node.binaryValue());
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return node.asText();
    }

    private JsonNode toTree(Object value) {
        if (value == null) return nodes.nullNode();
        Number big = bigNumber(value);
        if (big instanceof BigDecimal d) return nodes.numberNode(d);
        if (big instanceof BigInteger i) return nodes.numberNode(i);
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = nodes.objectNode();
            map.forEach((k, v) -> object.set(String.valueOf(k), toTree(v)));
            return object;
        }
        if (value instanceof List<?> list) {
            ArrayNode array = nodes.arrayNode(list.size());
            list.forEach(v -> array.add(toTree(v)));
            return array;
        }
        if (value instanceof String s) return nodes.textNode(s);
        if (value instanceof Boolean b) return nodes.booleanNode(b);
        if (value instanceof Integer i) return nodes.numberNode(i);
        if (value instanceof Long l) return nodes.numberNode(l);
        if (value instanceof Double d) return nodes.numberNode(d);
        if (value instanceof Decimal128 d) return nodes.numberNode(decimalValue(d));
        if (value instanceof Date d) return nodes.textNode(d.toInstant().toString());
        if (value instanceof Binary b) return nodes.binaryNode(b.getData());
        if (value instanceof ObjectId id) return nodes.textNode(id.toHexString());
        return nodes.textNode(String.valueOf(value));
    }

    private static Object toJava(Object value) {
        Number big = bigNumber(value);
        if (big != null) return big;
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), toJava(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(toJava(v)));
            return out;
        }
        if (value instanceof Decimal128 d) return untypedNumber(decimalValue(d));
        if (value instanceof Date d) return d.toInstant();
        if (value instanceof Binary b) return b.getData();
        if (value instanceof ObjectId id) return id.toHexString();
        return value;
    }

    /** The number a {@code {"_bigDecimal": "…"}} or {@code {"_bigInteger": "…"}} sub-document holds, else null. */
    private static Number bigNumber(Object value) {
        if (!(value instanceof Map<?, ?> map) || map.size() != 1) return null;
        try {
            if (map.get(BIG_DECIMAL) instanceof String text) return new BigDecimal(text);
            if (map.get(BIG_INTEGER) instanceof String text) return new BigInteger(text);
        } catch (NumberFormatException notOurs) {
            return null;
        }
        return null;
    }

    /** An integer beyond a long, as JSON reads it: a {@code BigInteger}; any other decimal as itself. */
    private static Object untypedNumber(BigDecimal d) {
        if (d.scale() != 0) return d;
        BigInteger i = d.unscaledValue();
        return i.compareTo(LONG_MIN) < 0 || i.compareTo(LONG_MAX) > 0 ? i : d;
    }

    private static BigDecimal decimalValue(Decimal128 d) {
        try {
            return d.bigDecimalValue();
        } catch (ArithmeticException negativeZeroOrNotANumber) {
            return BigDecimal.ZERO;
        }
    }

    /** Instants outside BSON dates keep their nanoseconds: helper for the document mapping. */
    static Instant instant(Date date, Number nanos) {
        if (date == null) return null;
        Instant at = date.toInstant();
        return nanos == null ? at : at.plusNanos(nanos.longValue());
    }
}
