package net.reactory.workflow.application.port.in;

/**
 * The runner cannot serve a call now for a reason outside the caller's hands (its store or broker is
 * away); the same call may succeed later. Driven adapters throw subclasses of it, so the edges can map
 * it without knowing any driven port.
 */
public class RunnerUnavailableException extends RuntimeException {

    public RunnerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
