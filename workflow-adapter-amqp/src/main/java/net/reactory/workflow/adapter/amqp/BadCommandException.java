package net.reactory.workflow.adapter.amqp;

/** A command that can never succeed as sent: it is dead-lettered with {@link #reason()} in a header. */
public final class BadCommandException extends Exception {

    /** Why commands are dead-lettered; the values of the {@link AmqpNames#REASON_HEADER} header. */
    public static final String WRONG_CONTENT_TYPE = "wrong-content-type";
    public static final String OVERSIZE_BODY = "oversize-body";
    public static final String MALFORMED_JSON = "malformed-json";
    public static final String UNKNOWN_TYPE = "unknown-type";
    public static final String UNSUPPORTED_SCHEMA_VERSION = "unsupported-schema-version";
    public static final String MISSING_FIELD = "missing-field";
    public static final String WRONG_FIELD_TYPE = "wrong-field-type";
    public static final String INVALID_FIELD = "invalid-field";
    public static final String INVALID_INPUT = "invalid-input";
    public static final String UNKNOWN_WORKFLOW = "unknown-workflow";
    public static final String UNKNOWN_INSTANCE = "unknown-instance";
    public static final String INSTANCE_FINISHED = "instance-finished";
    public static final String INVALID_STATE = "invalid-state";
    public static final String RETRIES_EXHAUSTED = "retries-exhausted";

    private final String reason;

    public BadCommandException(String reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
