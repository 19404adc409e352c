package net.reactory.workflow.adapter.mongo;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;

import com.mongodb.reactivestreams.client.MongoDatabase;

import net.reactory.workflow.application.port.out.WorkSignal;
import net.reactory.workflow.application.port.out.WorkSignalContract;

/** The work signal contract, unchanged, between nodes that share only a MongoDB database. */
class MongoWorkSignalTest extends WorkSignalContract {

    private final MongoDatabase database = TestMongo.freshDatabase();
    private final List<MongoWorkSignal> nodes = new ArrayList<>();

    @Override
    protected WorkSignal newNode() {
        MongoWorkSignal node = new MongoWorkSignal(database).createIndexes();
        nodes.add(node);
        return node;
    }

    @AfterEach
    void closeNodes() {
        nodes.forEach(MongoWorkSignal::close);
    }
}
