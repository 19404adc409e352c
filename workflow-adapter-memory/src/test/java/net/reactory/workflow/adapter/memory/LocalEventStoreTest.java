package net.reactory.workflow.application.service.language;

import net.reactory.workflow.application.port.out.EventStore;
import net.reactory.workflow.application.port.out.EventStoreContract;
import net.reactory.workflow.application.service.LocalEventStore;

/** The runner's default event store keeps the same contract as the adapters'. */
class LocalEventStoreTest extends EventStoreContract {

    @Override
    protected EventStore newStore() {
        return new LocalEventStore();
    }
}
