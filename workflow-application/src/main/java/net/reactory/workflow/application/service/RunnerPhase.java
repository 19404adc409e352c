package net.reactory.workflow.application.service;

/**
 * Where the runner is in its life. The lifecycle sets it; the rooms read it to stop taking work, and the store
 * guard to stop holding a save through an outage once the runner stops.
 */
final class RunnerPhase {

    enum Phase { NEW, RUNNING, STOPPING, STOPPED }

    private volatile Phase phase = Phase.NEW;

    boolean isRunning() {
        return phase == Phase.RUNNING;
    }

    void set(Phase next) {
        phase = next;
    }
}
