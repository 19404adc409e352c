package net.reactory.workflow.domain.instance;

import java.time.Instant;
import java.util.Objects;

/** A failed attempt of a step, kept on the instance. */
public record StepError(String step, String type, String message, int attempt, Instant at) {

    public StepError {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(type, "type");
        message = message == null ? "" : message;
        Objects.requireNonNull(at, "at");
    }

    public static StepError of(String step, Throwable error, int attempt, Instant at) {
        return new StepError(step, error.getClass().getName(), String.valueOf(error.getMessage()), attempt, at);
    }
}
