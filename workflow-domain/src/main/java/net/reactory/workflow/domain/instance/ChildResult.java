package net.reactory.workflow.domain.instance;

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

    /**
     * The child result in an event's data: the record itself, or the map a store that keeps data as documents
     * gives back for it ({@code instanceId}, {@code status}, {@code data}, {@code error}).
     */
    public static ChildResult from(Object value) {
        if (value instanceof ChildResult result) return result;
        if (value instanceof java.util.Map<?, ?> map && map.get("status") != null) {
            Object e = map.get("error");
            StepError error = e instanceof StepError se ? se : null;
            if (e instanceof java.util.Map<?, ?> em) {
                java.time.Instant at;
                try {
                    at = java.time.Instant.parse(String.valueOf(em.get("at")));
                } catch (RuntimeException notAnInstant) {
                    at = java.time.Instant.EPOCH;
                }
                error = new StepError(String.valueOf(em.get("step")), String.valueOf(em.get("type")), String.valueOf(em.get("message")),
                        em.get("attempt") instanceof Number n ? Math.max(1, n.intValue()) : 1, at);
            }
            Object id = map.get("instanceId");
            return new ChildResult(id == null ? null : id.toString(), WorkflowStatus.valueOf(String.valueOf(map.get("status"))),
                    map.get("data"), error);
        }
        throw new IllegalArgumentException("not the result of a child workflow: " + value);
    }

    public boolean succeeded() {
        return status == WorkflowStatus.COMPLETE;
    }

    /**
     * The reference of the child a parent's pointer starts: unique per parent, pointer and attempt, so a parent that
     * runs its step again finds the same child; it ends with the child's workflow, so the child can be found again.
     */
    public static String reference(String parentInstanceId, int pointerId, int attempt, String childWorkflow) {
        return REFERENCE_PREFIX + parentInstanceId + "/" + pointerId + "." + attempt + WORKFLOW_SEPARATOR + childWorkflow;
    }

    /** The parent instance a child reference names, or null for a reference that is not a child's. */
    public static String parentInstanceId(String reference) {
        if (!isChildReference(reference)) return null;
        int slash = reference.indexOf('/', REFERENCE_PREFIX.length());
        return slash < 0 ? null : reference.substring(REFERENCE_PREFIX.length(), slash);
    }

    /** The child workflow a reference names (as the parent's step gave it), or null for a reference without one. */
    public static String childWorkflow(String reference) {
        if (!isChildReference(reference)) return null;
        int at = reference.indexOf(WORKFLOW_SEPARATOR, REFERENCE_PREFIX.length());
        return at < 0 ? null : reference.substring(at + WORKFLOW_SEPARATOR.length());
    }

    private static final String WORKFLOW_SEPARATOR = "|";

    public static boolean isChildReference(String reference) {
        return reference != null && reference.startsWith(REFERENCE_PREFIX);
    }
}
