package net.reactory.workflow.adapter.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicBoolean;

import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandSucceededEvent;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoDatabase;

import net.reactory.workflow.application.port.out.CreateResult;
import net.reactory.workflow.application.port.out.TestInstances;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/**
 * A create whose reference is held when its insert reaches the server, and let go before the store asks who holds it:
 * a live auto-start that finishes just then, as a restarted node of the chaos test met it (its initialize failed with
 * "an instance with id … exists already"). The holder lets go from inside the command listener, after the server
 * refused the insert and before the store reads the answer, so the race is met every time.
 */
class ReferenceReleasedInBetweenTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private MongoClient client;

    @AfterEach
    void tearDown() {
        if (client != null) client.close();
    }

    @Test
    void givenAReferenceLetGoBetweenTheRefusedInsertAndTheLookup_whenCreated_thenTheCreateIsTriedAgainAndLands() {
        String name = TestMongo.freshName();
        MongoDatabase direct = TestMongo.client().getDatabase(name);
        WorkflowInstance holder = TestInstances.instance(TestInstances.DEFINITION, WorkflowStatus.RUNNABLE, T0, "live", null);
        AtomicBoolean letGo = new AtomicBoolean();
        client = TestMongo.newClient(new CommandListener() {
            @Override
            public void commandSucceeded(CommandSucceededEvent event) {
                BsonDocument reply = event.getResponse();
                if (event.getCommandName().equals("insert") && reply.containsKey("writeErrors") && letGo.compareAndSet(false, true)) {
                    // The holder finishes: its reference is no longer the live one.
                    Blocking.all(direct.getCollection(MongoInstanceStore.COLLECTION).updateOne(new Document(InstanceDocuments.ID, holder.id()),
                            new Document("$set", new Document(InstanceDocuments.REFERENCE_KEY, "finished:" + holder.id()))), Duration.ofSeconds(10));
                }
            }
        });
        MongoInstanceStore store = new MongoInstanceStore(client.getDatabase(name), new BsonData(), Duration.ofSeconds(10),
                InstantSource.system(), MongoInstanceStore.DEFAULT_HISTORY_LIMIT, 500, 1).createIndexes();
        store.create(holder);
        WorkflowInstance next = TestInstances.instance(TestInstances.DEFINITION, WorkflowStatus.RUNNABLE, T0, "live", null);

        CreateResult result = store.create(next);

        assertThat(letGo).as("the holder let go in between").isTrue();
        assertThat(result).isEqualTo(new CreateResult.Created(next));
        assertThat(store.load(next.id())).map(WorkflowInstance::reference).contains("live");
    }
}
