package net.reactory.workflow.definitions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code ${path.to.field}} in texts of a definition, filled in from the workflow data. */
final class Templates {

    private static final Pattern FIELD = Pattern.compile("\\$\\{([^}]+)}");

    private Templates() {
    }

    /** A text that is exactly one {@code ${...}} keeps the field's type; otherwise the fields are written into the text. */
    static Object resolveValue(Object value, Object data) {
        if (value instanceof String text) {
            Matcher m = FIELD.matcher(text);
            if (m.matches()) return field(data, m.group(1).trim());
            return resolve(text, data);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), resolveValue(v, data)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(resolveValue(v, data)));
            return out;
        }
        return value;
    }

    static String resolve(String text, Object data) {
        Matcher m = FIELD.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(field(data, m.group(1).trim()))));
        m.appendTail(out);
        return out.toString();
    }

    /** The value at a dotted path in nested maps, or null. */
    static Object field(Object data, String path) {
        Object at = data;
        for (String part : path.split("\\.")) {
            if (!(at instanceof Map<?, ?> map)) return null;
            at = map.get(part);
        }
        return at;
    }

    /** A copy of {@code data} with {@code value} at the dotted {@code path}; the data itself is left as it was. */
    static Map<String, Object> with(Object data, String path, Object value) {
        Map<String, Object> out = copy(data);
        int dot = path.indexOf('.');
        if (dot < 0) {
            out.put(path, value);
        } else {
            String head = path.substring(0, dot);
            out.put(head, with(out.get(head), path.substring(dot + 1), value));
        }
        return out;
    }

    static Map<String, Object> copy(Object data) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (data instanceof Map<?, ?> map) map.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }
}
