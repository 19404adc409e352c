package net.reactory.workflow.domain.instance;

/** A lifecycle command on an instance that has already finished; nothing was changed. */
public final class InstanceFinishedException extends IllegalStateException {

    private final String instanceId;
    private final WorkflowStatus status;

    public InstanceFinishedException(String instanceId, WorkflowStatus status, String command) {
        super("cannot " + command + " instance " + instanceId + ": it has already finished as " + status);
        this.instanceId = instanceId;
        this.status = status;
    }

    public String instanceId() {
        return instanceId;
    }

    public WorkflowStatus status() {
        return status;
    }
}
