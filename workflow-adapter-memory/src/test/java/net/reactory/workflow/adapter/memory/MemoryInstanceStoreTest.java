package net.reactory.workflow.adapter.memory;

import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.port.out.InstanceStoreContract;

class MemoryInstanceStoreTest extends InstanceStoreContract {

    @Override
    protected InstanceStore newStore() {
        return new MemoryInstanceStore();
    }
}
