package net.reactory.workflow.domain.instance;

public enum WorkflowStatus {
    RUNNABLE, SUSPENDED, COMPLETE, TERMINATED, FAILED;

    /** A finished instance never changes again. */
    public boolean isFinished() {
        return this == COMPLETE || this == TERMINATED || this == FAILED;
    }
}
