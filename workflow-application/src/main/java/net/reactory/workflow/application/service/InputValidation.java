package net.reactory.workflow.application.service;

import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import net.reactory.workflow.application.port.in.InvalidInputException;
import net.reactory.workflow.domain.WorkflowDefinition;

/**
 * Checks the data of a start before anything is stored: the definition's {@link net.reactory.workflow.domain.InputValidator}
 * and the size limit.
 *
 * <p>The size is the number of bytes the data takes as JSON, which is how the Mongo and AMQP adapters write
 * it, estimated by walking the data rather than serialising it: the application may not depend on Jackson,
 * Java serialisation would refuse records and maps that are not {@code Serializable} and measures another
 * format, and the walk stops as soon as the limit is passed, so a huge input costs no more than the limit.
 * Maps, iterables, arrays, records, strings (UTF-8), numbers, booleans and nulls are measured as JSON writes
 * them; {@code byte[]} as base64; any other object by its {@code toString()} as a string.
 */
public final class InputValidation {

    private InputValidation() {
    }

    /**
     * @throws InvalidInputException listing every violation, the size first
     */
    static void check(WorkflowDefinition definition, Object data, long maxBytes) {
        List<String> violations = new ArrayList<>();
        if (maxBytes > 0) {
            long size = estimateJsonBytes(data, maxBytes);
            if (size > maxBytes) {
                violations.add("data is larger than the limit of " + maxBytes + " bytes serialized");
            }
        }
        try {
            List<String> found = definition.inputValidator().violations(data);
            if (found != null) violations.addAll(found);
        } catch (RuntimeException e) {
            violations.add("the input validator failed: " + e);
        }
        if (!violations.isEmpty()) throw new InvalidInputException(definition.key().toString(), violations);
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
        private static final int MAX_DEPTH = 256;
        private final long stopAbove;
        private final Set<Object> path = Collections.newSetFromMap(new IdentityHashMap<>());
        long size;

        Walker(long stopAbove) {
            this.stopAbove = stopAbove;
        }

        private boolean full() {
            return size > stopAbove;
        }

        void walk(Object value, int depth) {
            if (full()) return;
            if (depth > MAX_DEPTH) {
                size = stopAbove + 1;
                return;
            }
            switch (value) {
                case null -> size += 4;
                case CharSequence s -> string(s);
                case Boolean b -> size += b ? 4 : 5;
                case Number n -> size += n.toString().length();
                case Character c -> string(String.valueOf(c));
                case Enum<?> e -> string(e.name());
                case byte[] bytes -> size += 2 + (bytes.length + 2) / 3 * 4L;
                case Map<?, ?> map -> {
                    if (!enter(map)) return;
                    size += 2 + Math.max(0, map.size() - 1);
                    for (Map.Entry<?, ?> e : map.entrySet()) {
                        if (full()) break;
                        string(String.valueOf(e.getKey()));
                        size += 1;
                        walk(e.getValue(), depth + 1);
                    }
                    path.remove(map);
                }
                case Iterable<?> items -> {
                    if (!enter(items)) return;
                    size += 2;
                    boolean first = true;
                    for (Object item : items) {
                        if (full()) break;
                        if (!first) size += 1;
                        first = false;
                        walk(item, depth + 1);
                    }
                    path.remove(items);
                }
                case Record record -> {
                    if (!enter(record)) return;
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
                    path.remove(record);
                }
                default -> {
                    if (value.getClass().isArray()) {
                        if (!enter(value)) return;
                        int n = Array.getLength(value);
                        size += 2 + Math.max(0, n - 1);
                        for (int i = 0; i < n && !full(); i++) walk(Array.get(value, i), depth + 1);
                        path.remove(value);
                    } else {
                        string(String.valueOf(value));
                    }
                }
            }
        }

        private boolean enter(Object container) {
            if (!path.add(container)) {
                // A cycle cannot be written as JSON at all: refuse it as too large.
                size = stopAbove + 1;
                return false;
            }
            return true;
        }

        private void string(CharSequence s) {
            size += 2;
            int n = s.length();
            if (n > stopAbove) {
                size += n;
                return;
            }
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
        }
    }
}
