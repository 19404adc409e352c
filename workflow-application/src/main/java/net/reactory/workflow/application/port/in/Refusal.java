package net.reactory.workflow.application.port.in;

import net.reactory.workflow.domain.instance.InstanceFinishedException;
import net.reactory.workflow.domain.definition.InvalidWorkflowException;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Why the runner refused a command, written once for every edge (HTTP, AMQP, CLI): each edge maps a
 * kind to its own wire code and decides what is permanent, but they never disagree on the kind.
 */
public enum Refusal {
    /** No workflow definition has that id or version. */
    UNKNOWN_WORKFLOW(true),
    /** No instance has that id. */
    UNKNOWN_INSTANCE(true),
    /** The instance has ended; nothing can change it any more. */
    INSTANCE_FINISHED(true),
    /** A definition with that identity is registered already. */
    DUPLICATE_WORKFLOW(true),
    /** The input (data, definition, argument) is wrong as sent. */
    INVALID_INPUT(true),
    /** The instance is in a state that forbids the command (for example resuming a running one). */
    INVALID_STATE(true),
    /** The runner cannot take commands now (starting, stopping, store away): try again later. */
    UNAVAILABLE(false),
    /** Nothing the caller did: an unexpected failure inside the runner. */
    INTERNAL(false);

    private final boolean permanent;

    Refusal(boolean permanent) {
        this.permanent = permanent;
    }

    /** A permanent refusal fails the same way when sent again; the others may pass later. */
    public boolean permanent() {
        return permanent;
    }

    /** The kind of what the runner threw, seen through the futures' wrappers. */
    public static Refusal of(Throwable thrown) {
        return switch (unwrap(thrown)) {
            case WorkflowNotFoundException w -> UNKNOWN_WORKFLOW;
            case InstanceNotFoundException i -> UNKNOWN_INSTANCE;
            case InstanceFinishedException f -> INSTANCE_FINISHED;
            case DuplicateWorkflowException d -> DUPLICATE_WORKFLOW;
            case InvalidWorkflowException i -> INVALID_INPUT;
            case RunnerNotInitializedException r -> UNAVAILABLE;
            case RunnerUnavailableException s -> UNAVAILABLE;
            case IllegalArgumentException a -> INVALID_INPUT;
            case IllegalStateException s -> INVALID_STATE;
            default -> INTERNAL;
        };
    }

    /** The exception a future failed with, without its {@link CompletionException} or {@link ExecutionException} wrappers. */
    public static Throwable unwrap(Throwable thrown) {
        Throwable t = thrown;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
