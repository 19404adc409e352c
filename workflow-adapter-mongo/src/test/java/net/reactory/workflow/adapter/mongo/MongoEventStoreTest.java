package net.reactory.workflow.adapter.mongo;

import net.reactory.workflow.application.port.out.EventStore;
import net.reactory.workflow.application.port.out.EventStoreContract;

/** The event store contract, unchanged, on MongoDB. */
class MongoEventStoreTest extends EventStoreContract {

    @Override
    protected EventStore newStore() {
        return new MongoEventStore(TestMongo.freshDatabase()).createIndexes();
    }
}
