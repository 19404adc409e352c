package net.reactory.workflow.adapter.memory;

import org.junit.jupiter.api.BeforeEach;

import net.reactory.workflow.application.port.out.WorkSignal;
import net.reactory.workflow.application.port.out.WorkSignalContract;

/** In one process, every node shares the same in-process signal. */
class InProcessWorkSignalTest extends WorkSignalContract {

    private InProcessWorkSignal cluster;

    @BeforeEach
    void newCluster() {
        cluster = new InProcessWorkSignal();
    }

    @Override
    protected WorkSignal newNode() {
        return cluster;
    }
}
