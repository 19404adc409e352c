package net.reactory.workflow.adapter.amqp;

import java.util.Optional;

import net.reactory.workflow.application.port.in.Refusal;

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

    /**
     * What the runner threw, as a refusal to dead-letter when it is {@linkplain Refusal#permanent() permanent};
     * empty for a passing failure, worth another attempt.
     */
    static Optional<BadCommandException> ofRunnerFailure(Throwable thrown) {
        Throwable cause = Refusal.unwrap(thrown);
        if (cause instanceof BadCommandException bad) return Optional.of(bad);
        Refusal refusal = Refusal.of(cause);
        if (!refusal.permanent()) return Optional.empty();
        return Optional.of(new BadCommandException(reasonFor(refusal), cause.getMessage()));
    }

    /** The dead-letter reason of each kind of refusal. */
    static String reasonFor(Refusal refusal) {
        return switch (refusal) {
            case UNKNOWN_WORKFLOW -> UNKNOWN_WORKFLOW;
            case UNKNOWN_INSTANCE -> UNKNOWN_INSTANCE;
            case INSTANCE_FINISHED -> INSTANCE_FINISHED;
            case DUPLICATE_WORKFLOW, INVALID_INPUT -> INVALID_INPUT;
            case INVALID_STATE -> INVALID_STATE;
            // Passing failures are tried again; they are dead-lettered only once the attempts are used up.
            case UNAVAILABLE, INTERNAL -> RETRIES_EXHAUSTED;
        };
    }
}
