package net.reactory.workflow.application.service;

import java.time.Instant;

import net.reactory.workflow.domain.instance.Lease;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/** What event delivery needs of this node's runs to hand them an instance an event made runnable. */
interface LocalRuns {

    /** True while this node runs the instance. */
    boolean busy(String instanceId);

    /** Claims the instance through the store and runs it, if it is free. */
    void claimAndRun(String instanceId);

    /**
     * Counts the instance among this node's runs before a save that gives it this node's lease, so the save
     * replaces the claim; null when this node runs it already or is stopping.
     */
    Lease reserve(String instanceId, Instant now);

    /** Undoes {@link #reserve} when the save did not happen. */
    void cancel(String instanceId);

    /** Undoes {@link #reserve} when the save may have happened: its lease is handed back, so any node may run the instance. */
    void giveBack(WorkflowInstance leased);

    /** Runs an instance saved with the lease {@link #reserve} gave. */
    void runLeased(WorkflowInstance leased);
}
