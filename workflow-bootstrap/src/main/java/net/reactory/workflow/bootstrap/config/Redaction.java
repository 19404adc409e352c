package net.reactory.workflow.bootstrap.config;

import java.util.regex.Pattern;

/** Hides secrets before a value reaches a message or a log line. */
public final class Redaction {

    private static final Pattern USER_INFO_PASSWORD = Pattern.compile("(?<=://)([^:/@\\s]*):[^@]*@");

    private Redaction() {
    }

    /** A URI with the password of its user info replaced by {@code ***}. */
    public static String uri(String value) {
        return value == null ? null : USER_INFO_PASSWORD.matcher(value).replaceAll("$1:***@");
    }

    /** The value as it may be shown for this key. */
    public static String value(String key, String value) {
        if (value == null) return null;
        if (ConfigKeys.ADMIN_TOKEN.equals(key)) return "***";
        return ConfigKeys.isSecret(key) ? uri(value) : value;
    }
}
