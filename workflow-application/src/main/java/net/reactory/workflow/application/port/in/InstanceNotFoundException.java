package net.reactory.workflow.application.port.in;

public final class InstanceNotFoundException extends RuntimeException {

    public InstanceNotFoundException(String instanceId) {
        super("no workflow instance has the id " + instanceId);
    }
}
