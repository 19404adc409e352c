package net.reactory.workflow.application.service.run;

/**
 * Where the runner is in its life. The lifecycle sets it; the rooms read it to stop taking work, and the store
 * guard to stop holding a save through an outage once the runner stops.
 */
public final class RunnerPhase {

    public enum Phase { NEW, RUNNING, STOPPING, STOPPED }

    private volatile Phase phase = Phase.NEW;

    public boolean isRunning() {
        return phase == Phase.RUNNING;
    }

    public void set(Phase next) {
        phase = next;
    }
}
