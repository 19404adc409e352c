package net.reactory.workflow.adapter.memory;

import net.reactory.workflow.application.port.out.EventStore;
import net.reactory.workflow.application.port.out.EventStoreContract;

class MemoryEventStoreTest extends EventStoreContract {

    @Override
    protected EventStore newStore() {
        return new MemoryEventStore();
    }
}
