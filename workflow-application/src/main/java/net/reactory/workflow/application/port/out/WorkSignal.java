package net.reactory.workflow.application.port.out;

import java.util.function.Consumer;

/**
 * Tells the runner nodes that an instance is runnable now, so one of them claims it
 * without waiting for the next poll. Signals may be lost or duplicated: the poller is the safety net
 * and claims are atomic.
 */
public interface WorkSignal {

    void signal(String instanceId);

    /** Registers the node's handler; returns a handle that unsubscribes it. */
    AutoCloseable subscribe(Consumer<String> onRunnable);
}
