package net.reactory.workflow.application.port.in;

/**
 * A value that came from outside (a reason, a message id, workflow data, an exception's message) as it may
 * appear in a log line: control characters escaped ({@code \n}, {@code \r}, {@code \t}, else {@code \}{@code uXXXX},
 * Unicode line and paragraph separators included), so a newline in a reason cannot forge a separate
 * {@code [ERROR]} line or move the terminal's cursor, and cut to {@link #MAX_CHARS} characters, so one request
 * cannot flood the log. Every log call that prints such a value wraps it: {@code log.info("... {}", LogSafe.of(reason))}.
 * A short value with nothing to escape is returned as it is, without copying.
 */
public final class LogSafe {

    /** The most characters of one value a log line shows; the rest is counted, not printed. */
    public static final int MAX_CHARS = 4096;

    private LogSafe() {
    }

    /** {@code String.valueOf(value)}, escaped and capped; {@code "null"} for null. */
    public static String of(Object value) {
        String text = String.valueOf(value);
        int n = text.length();
        int first = firstUnsafe(text);
        if (first == n && n <= MAX_CHARS) return text;
        StringBuilder out = new StringBuilder(Math.min(n, MAX_CHARS) + 16);
        int i = Math.min(first, MAX_CHARS);
        out.append(text, 0, i);
        for (; i < n && out.length() < MAX_CHARS; i++) {
            char c = text.charAt(i);
            if (!unsafe(c)) {
                if (Character.isHighSurrogate(c) && out.length() == MAX_CHARS - 1) break; // do not cut a pair in two
                out.append(c);
                continue;
            }
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF]).append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
            }
        }
        if (i < n) out.append("...(").append(n - i).append(" more characters)");
        return out.toString();
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private static int firstUnsafe(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (unsafe(text.charAt(i))) return i;
        }
        return text.length();
    }

    /** C0 and C1 controls, DEL, and the two Unicode separators some terminals and log viewers break lines at. */
    private static boolean unsafe(char c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029';
    }
}
