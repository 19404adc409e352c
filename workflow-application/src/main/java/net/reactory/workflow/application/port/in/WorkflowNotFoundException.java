package net.reactory.workflow.application.port.in;

/** No workflow is registered under the id, or not at the version asked for. */
public final class WorkflowNotFoundException extends RuntimeException {

    private final String workflow;

    public WorkflowNotFoundException(String workflow, String detail) {
        super("workflow " + workflow + " is not registered" + (detail == null ? "" : ": " + detail));
        this.workflow = workflow;
    }

    public String workflow() {
        return workflow;
    }
}
