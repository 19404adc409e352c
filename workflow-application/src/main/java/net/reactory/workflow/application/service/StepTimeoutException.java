package net.reactory.workflow.application.service;

import java.time.Duration;

/** An attempt of a step ran past its timeout and was interrupted; it counts as a failed attempt. */
public final class StepTimeoutException extends RuntimeException {

    public StepTimeoutException(String step, Duration timeout) {
        super("step '" + step + "' ran longer than its timeout of " + timeout + " and was interrupted");
    }
}
