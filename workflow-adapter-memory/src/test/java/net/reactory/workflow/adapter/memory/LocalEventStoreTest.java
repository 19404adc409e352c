package net.reactory.workflow.adapter.memory;

import net.reactory.workflow.application.port.out.EventStore;
import net.reactory.workflow.application.port.out.EventStoreContract;

/** The plain event store keeps the same contract as the other adapters'. */
class LocalEventStoreTest extends EventStoreContract {

    @Override
    protected EventStore newStore() {
        return new LocalEventStore();
    }
}
