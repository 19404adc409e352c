package net.reactory.workflow.adapter.amqp;

import java.util.Locale;

import net.reactory.workflow.domain.instance.WorkflowEvent;

/**
 * Which lifecycle events go to the broker. Every message costs the broker about as much as the rest of a start,
 * so a deployment whose consumers only follow workflows as a whole can leave the step events out.
 */
public enum EventScope {
    /** Every lifecycle event, step events included. */
    ALL,
    /** Only the workflow-level events: started, completed, failed, suspended, resumed, terminated. */
    WORKFLOW;

    /** Whether {@code event} is published under this scope. */
    public boolean includes(WorkflowEvent event) {
        return this == ALL || isWorkflowLevel(event);
    }

    static boolean isWorkflowLevel(WorkflowEvent event) {
        return switch (event) {
            case WorkflowEvent.WorkflowStarted e -> true;
            case WorkflowEvent.WorkflowCompleted e -> true;
            case WorkflowEvent.WorkflowFailed e -> true;
            case WorkflowEvent.WorkflowSuspended e -> true;
            case WorkflowEvent.WorkflowResumed e -> true;
            case WorkflowEvent.WorkflowTerminated e -> true;
            default -> false;
        };
    }

    /** {@code all} or {@code workflow}, in any case; anything else is refused naming what is allowed. */
    public static EventScope parse(String text) {
        if (text == null) throw new IllegalArgumentException("AMQP event scope is missing; expected all or workflow");
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "all" -> ALL;
            case "workflow" -> WORKFLOW;
            default -> throw new IllegalArgumentException("AMQP event scope '" + text + "' is not one of all, workflow");
        };
    }

    /** The word {@link #parse} reads. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
