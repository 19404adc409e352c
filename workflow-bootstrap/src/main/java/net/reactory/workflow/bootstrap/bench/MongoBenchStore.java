package net.reactory.workflow.bootstrap.bench;

import com.mongodb.ConnectionString;
import com.mongodb.reactivestreams.client.MongoClients;

import net.reactory.workflow.adapter.mongo.MongoInstanceStore;
import net.reactory.workflow.application.port.out.InstanceStore;

/** Opens the Mongo store for {@code --store mongo}, in a fresh database so runs do not see each other's instances. */
final class MongoBenchStore {

    private MongoBenchStore() {
    }

    static InstanceStore open(String uri) {
        ConnectionString connection = new ConnectionString(uri);
        String database = (connection.getDatabase() != null ? connection.getDatabase() : "workflow-bench") + "-" + System.currentTimeMillis();
        return new MongoInstanceStore(MongoClients.create(connection).getDatabase(database)).createIndexes();
    }
}
