package net.reactory.workflow.application.port.out;

import net.reactory.workflow.application.port.in.RunnerUnavailableException;

/** The store could not be reached or answered with an error; the call may succeed later. */
public class StoreUnavailableException extends RunnerUnavailableException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
