package net.reactory.workflow.adapter.mongo;

import java.time.InstantSource;

import com.mongodb.reactivestreams.client.MongoDatabase;

import net.reactory.workflow.application.port.out.EventStore;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.scenario.LanguageScenarios;

/** The workflow-core scenarios of issue 15, unchanged, on MongoDB: the data goes through BSON on every save. */
class MongoLanguageScenariosTest extends LanguageScenarios {

    private final MongoDatabase database = TestMongo.freshDatabase();

    @Override
    protected InstanceStore newStore(InstantSource clock) {
        return new MongoInstanceStore(database, clock).createIndexes();
    }

    @Override
    protected EventStore newEventStore() {
        return new MongoEventStore(database).createIndexes();
    }
}
