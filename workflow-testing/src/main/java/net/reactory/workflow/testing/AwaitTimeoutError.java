package net.reactory.workflow.testing;

/**
 * The harness waited for an instance (or for the runner to be quiet) longer than its timeout. An
 * {@link AssertionError}, so that a test framework reports it as a failed test, with the state the
 * instance was left in.
 */
public final class AwaitTimeoutError extends AssertionError {

    private static final long serialVersionUID = 1L;

    AwaitTimeoutError(String message) {
        super(message);
    }
}
