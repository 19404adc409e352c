package net.reactory.workflow.application.service.resilience;

import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import net.reactory.workflow.application.port.in.InvalidInputException;
import net.reactory.workflow.domain.definition.InputValidator;
import net.reactory.workflow.domain.definition.WorkflowDefinition;

/**
 * Checks the data of a start before anything is stored: the definition's {@link net.reactory.workflow.domain.definition.InputValidator}
 * and the size limit.
 *
 * <p>The size is the number of bytes the data takes as JSON, which is how the Mongo and AMQP adapters write
 * it, estimated by walking the data rather than serialising it: the application may not depend on Jackson,
 * Java serialisation would refuse records and maps that are not {@code Serializable} and measures another
 * format, and the walk stops as soon as the limit is passed, so a huge input costs no more than the limit.
 * Maps, iterables, arrays, records, strings (UTF-8), numbers, booleans and nulls are measured as JSON writes
 * them; {@code byte[]} as base64; any other object by its {@code toString()} as a string. Data nested deeper
 * than 256 levels, a cycle included, is refused as nested too deep (the edges' JSON parsers stop at the same depth). A start with no validator and data of one value
 * (a number, a string...) costs no allocation; nested data costs one short walk.
 */
public final class InputValidation {

    private InputValidation() {
    }

    /**
     * @throws InvalidInputException listing every violation, the size first
     */
    public static void check(WorkflowDefinition definition, Object data, long maxBytes) {
        List<String> violations = null;
        String sizeViolation = maxBytes > 0 && data != null ? sizeViolation(data, maxBytes) : null;
        if (sizeViolation != null) {
            violations = new ArrayList<>();
            violations.add(sizeViolation);
        }
        if (definition.inputValidator() != InputValidator.NONE) {
            List<String> found;
            try {
                found = definition.inputValidator().violations(data);
            } catch (RuntimeException e) {
                found = List.of("the input validator failed: " + e);
            }
            if (found != null && !found.isEmpty()) {
                if (violations == null) violations = new ArrayList<>();
                violations.addAll(found);
            }
        }
        if (violations != null) throw new InvalidInputException(definition.key().toString(), violations);
    }

    /** What is wrong with the size of {@code data}, or null; data of one value is sized without a walker. */
    private static String sizeViolation(Object data, long maxBytes) {
        long size = Walker.flatSize(data, maxBytes);
        if (size < 0) {
            Walker w = new Walker(maxBytes);
            w.walk(data, 0);
            if (w.tooDeep) return "data is nested deeper than " + Walker.MAX_DEPTH + " levels (or refers to itself)";
            size = w.size;
        }
        return size > maxBytes ? "data is larger than the limit of " + maxBytes + " bytes serialized" : null;
    }

    /**
     * The size of {@code data} as JSON in bytes, exact for maps, lists, strings, numbers and booleans; the walk
     * stops once the count passes {@code stopAbove} and returns a value above it.
     */
    public static long estimateJsonBytes(Object data, long stopAbove) {
        Walker w = new Walker(stopAbove);
        w.walk(data, 0);
        return w.size;
    }

    private static final class Walker {
        /** Deeper data is refused as too large: JSON that deep is a mistake, and a cycle ends here too. */
        private static final int MAX_DEPTH = 256;
        private final long stopAbove;
        long size;
        boolean tooDeep;

        Walker(long stopAbove) {
            this.stopAbove = stopAbove;
        }

        private boolean full() {
            return size > stopAbove;
        }

        void walk(Object value, int depth) {
            if (full()) return;
            if (depth > MAX_DEPTH) {
                tooDeep = true;
                size = stopAbove + 1;
                return;
            }
            long flat = flatSize(value, stopAbove);
            if (flat >= 0) {
                size += flat;
                return;
            }
            switch (value) {
                case Map<?, ?> map -> {
                    size += 2 + Math.max(0, map.size() - 1);
                    for (Map.Entry<?, ?> e : map.entrySet()) {
                        if (full()) break;
                        string(String.valueOf(e.getKey()));
                        size += 1;
                        walk(e.getValue(), depth + 1);
                    }
                }
                case Iterable<?> items -> {
                    size += 2;
                    boolean first = true;
                    for (Object item : items) {
                        if (full()) break;
                        if (!first) size += 1;
                        first = false;
                        walk(item, depth + 1);
                    }
                }
                case Record record -> record(record, depth);
                default -> {
                    if (value.getClass().isArray()) {
                        int n = Array.getLength(value);
                        size += 2 + Math.max(0, n - 1);
                        for (int i = 0; i < n && !full(); i++) walk(Array.get(value, i), depth + 1);
                    } else {
                        string(String.valueOf(value));
                    }
                }
            }
        }

        /** The size of a value that holds no other (null, a string, a number...); -1 for one that does, which is walked. */
        static long flatSize(Object value, long stopAbove) {
            return switch (value) {
                case null -> 4;
                case CharSequence s -> stringSize(s, stopAbove);
                case Boolean b -> b ? 4 : 5;
                case Integer i -> digits(i);
                case Long l -> digits(l);
                case Number n -> n.toString().length();
                case Character c -> stringSize(String.valueOf(c), stopAbove);
                case Enum<?> e -> stringSize(e.name(), stopAbove);
                case byte[] bytes -> 2 + (bytes.length + 2) / 3 * 4L;
                default -> -1;
            };
        }

        /** A record is sized as the JSON object of its components. */
        private void record(Record record, int depth) {
            RecordComponent[] components = record.getClass().getRecordComponents();
            size += 2 + Math.max(0, components.length - 1);
            for (RecordComponent c : components) {
                if (full()) break;
                string(c.getName());
                size += 1;
                Object v;
                try {
                    c.getAccessor().setAccessible(true);
                    v = c.getAccessor().invoke(record);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    v = String.valueOf(e);
                }
                walk(v, depth + 1);
            }
        }

        private static int digits(long v) {
            if (v == Long.MIN_VALUE) return 20;
            int n = v < 0 ? 2 : 1;
            long a = Math.abs(v);
            while (a >= 10) {
                a /= 10;
                n++;
            }
            return n;
        }

        private void string(CharSequence s) {
            size += stringSize(s, stopAbove);
        }

        private static long stringSize(CharSequence s, long stopAbove) {
            long size = 2;
            int n = s.length();
            if (n > stopAbove) return size + n;
            for (int i = 0; i < n; i++) {
                char ch = s.charAt(i);
                if (ch < 0x20 || ch == '"' || ch == '\\') size += ch < 0x20 ? 6 : 2;
                else if (ch < 0x80) size += 1;
                else if (ch < 0x800) size += 2;
                else if (Character.isHighSurrogate(ch)) {
                    size += 4;
                    i++;
                } else size += 3;
            }
            return size;
        }
    }
}
