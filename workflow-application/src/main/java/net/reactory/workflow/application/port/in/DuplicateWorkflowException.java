package net.reactory.workflow.application.port.in;

/** The same {@code nameSpace.name@version} is registered already; the registered one is kept. */
public final class DuplicateWorkflowException extends IllegalArgumentException {

    public DuplicateWorkflowException(String key) {
        super("workflow " + key + " is already registered: register a new version instead");
    }
}
