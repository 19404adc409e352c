package net.reactory.workflow.application.port.in;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** An instance did not finish within the time {@link WorkflowRunner#awaitFinished(String, Duration)} was given. */
public final class FinishTimeoutException extends TimeoutException {

    private final String instanceId;
    private final transient Duration timeout;

    public FinishTimeoutException(String instanceId, Duration timeout) {
        super("instance " + instanceId + " did not finish within " + timeout);
        this.instanceId = instanceId;
        this.timeout = timeout;
    }

    public String instanceId() {
        return instanceId;
    }

    public Duration timeout() {
        return timeout;
    }
}
