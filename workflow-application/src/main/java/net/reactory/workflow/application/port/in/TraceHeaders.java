package net.reactory.workflow.application.port.in;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The W3C trace context headers as the edges (HTTP, AMQP) read them from a caller: {@code traceparent} and
 * {@code tracestate}, kept as header name to value and stored with an instance or an event. A caller's trace context
 * is a hint, never a reason to refuse a command: following the W3C recommendation, a malformed {@code traceparent}
 * is dropped (and its {@code tracestate} with it), and an oversized {@code tracestate} is dropped, so nothing a
 * caller sends can make the stored map large.
 */
public final class TraceHeaders {

    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";

    /** The W3C recommends propagating at least 512 characters of tracestate; more is dropped here. */
    public static final int MAX_TRACESTATE = 512;

    // version "00"-"fe", 32 hex trace id not all zero, 16 hex parent id not all zero, 2 hex flags; a future
    // version may append fields after a dash.
    private static final Pattern TRACEPARENT_FORMAT = Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}(-.*)?");

    private TraceHeaders() {
    }

    /** The context to keep for these header values (either may be null): empty when the traceparent is absent or malformed. */
    public static Map<String, String> of(String traceparent, String tracestate) {
        if (traceparent == null) return Map.of();
        String parent = traceparent.trim();
        if (!isValidTraceparent(parent)) return Map.of();
        if (tracestate == null || tracestate.isBlank() || tracestate.length() > MAX_TRACESTATE) return Map.of(TRACEPARENT, parent);
        Map<String, String> context = new HashMap<>(2);
        context.put(TRACEPARENT, parent);
        context.put(TRACESTATE, tracestate.trim());
        return Map.copyOf(context);
    }

    /** True for a traceparent a tracer can continue: the W3C format, not version ff, not the all-zero ids. */
    public static boolean isValidTraceparent(String value) {
        if (value == null || value.length() < 55 || value.length() > 256 || !TRACEPARENT_FORMAT.matcher(value).matches()) return false;
        if (value.startsWith("ff")) return false;
        if (value.startsWith("00") && value.length() != 55) return false;
        return !value.substring(3, 35).equals("0".repeat(32)) && !value.substring(36, 52).equals("0".repeat(16));
    }
}
