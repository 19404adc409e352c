package net.reactory.workflow.application.port.out;

/** The store could not be reached or answered with an error; the call may succeed later. */
public class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
