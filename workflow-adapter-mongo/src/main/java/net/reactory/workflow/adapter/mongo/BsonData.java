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
 * {@code long}, {@code double} and {@link BigDecimal} are stored as themselves (a big decimal as
 * {@code Decimal128}, or as text with a type hint when it does not fit) and come back as themselves, maps as
 * {@link LinkedHashMap}s. Any other value, such as a record, is written as a sub-document through Jackson
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
            return exact != null ? exact : node.decimalValue().toString();
        }
        if (node.isBigInteger()) {
            Decimal128 exact = decimal(new BigDecimal(node.bigIntegerValue()));
            return exact != null ? exact : node.bigIntegerValue().toString();
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
        if (value instanceof Decimal128 d) return decimalValue(d);
        if (value instanceof Date d) return d.toInstant();
        if (value instanceof Binary b) return b.getData();
        if (value instanceof ObjectId id) return id.toHexString();
        return value;
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
