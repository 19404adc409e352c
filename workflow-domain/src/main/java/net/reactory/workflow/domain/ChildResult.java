package net.reactory.workflow.domain;

/**
 * How a child workflow ended: the data of a {@link ReceivedEvent} handed to the parent's step.
 *
 * @param error the child's last error, or null
 */
public record ChildResult(String instanceId, WorkflowStatus status, Object data, StepError error) {

    /** The event a parent's pointer waits for until its child finishes; the key is the child's reference. */
    public static final String EVENT_NAME = "workflow.child.finished";

    /** References of child instances start with this; the rest names the parent, pointer and attempt. */
    public static final String REFERENCE_PREFIX = "child:";

    public boolean succeeded() {
        return status == WorkflowStatus.COMPLETE;
    }

    public static String reference(String parentInstanceId, int pointerId, int attempt) {
        return REFERENCE_PREFIX + parentInstanceId + "/" + pointerId + "." + attempt;
    }

    public static boolean isChildReference(String reference) {
        return reference != null && reference.startsWith(REFERENCE_PREFIX);
    }
}
