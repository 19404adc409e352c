package net.reactory.workflow.adapter.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import com.mongodb.reactivestreams.client.MongoClient;

import net.reactory.workflow.application.port.out.TestInstances;
import net.reactory.workflow.domain.instance.Lease;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/** Issue 13: a save sends what changed since this process's last write of the instance, and the document stays exact. */
class LeanWritesTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private final List<BsonDocument> updates = new CopyOnWriteArrayList<>();
    private final MongoClient client = TestMongo.newClient(new CommandListener() {
        @Override
        public void commandStarted(CommandStartedEvent event) {
            if (event.getCommandName().equals("update")) {
                event.getCommand().getArray("updates").forEach(u -> updates.add(u.asDocument().getDocument("u").clone()));
            }
        }
    });
    private final String database = TestMongo.freshName();
    private final MongoInstanceStore store = new MongoInstanceStore(client.getDatabase(database)).createIndexes();

    @AfterEach
    void tearDown() {
        client.close();
    }

    private static WorkflowInstance with(WorkflowInstance i, Object data, Instant nextExecution, Lease lease) {
        return new WorkflowInstance(i.id(), i.definition(), i.status(), data, i.pointers(), i.nextPointerId(), nextExecution,
                i.revision() + 1, i.reference(), i.createdAt(), i.updatedAt(), i.completedAt(), lease, i.errors());
    }

    @Test
    void givenInstanceThisProcessWrote_whenSaved_thenOnlyTheChangedFieldsAreSentAndItLoadsEqual() {
        WorkflowInstance created = TestInstances.runnable(T0);
        store.create(created);
        WorkflowInstance next = with(created, Map.of("n", 2), created.nextExecution(), null);

        assertThat(store.save(next, created.revision(), List.of())).isTrue();

        Set<String> sent = updates.getLast().getDocument("$set").keySet();
        assertThat(sent).containsExactlyInAnyOrder("data", "revision", "writeId");
        assertThat(store.load(created.id())).contains(next);
    }

    @Test
    void givenFieldGoneSinceTheLastWrite_whenSaved_thenItIsUnsetAndTheInstanceLoadsEqual() {
        // A sub-millisecond due time keeps its remainder in nextExecutionNs; a whole millisecond has none to keep.
        WorkflowInstance created = with(TestInstances.runnable(T0), Map.of("n", 1), T0.plusNanos(1_234_567), null);
        store.create(created);
        WorkflowInstance next = with(created, Map.of("n", 1), T0.plusSeconds(5), null);

        assertThat(store.save(next, created.revision(), List.of())).isTrue();

        assertThat(updates.getLast().getDocument("$unset").keySet()).containsExactly("nextExecutionNs");
        assertThat(store.load(created.id())).contains(next);
    }

    @Test
    void givenLeaseRenewedSinceTheLastWrite_whenSaved_thenTheWholeInstanceIsWrittenAsSaved() {
        Lease lease = new Lease("node-a", T0.plusSeconds(30));
        WorkflowInstance created = TestInstances.instance(TestInstances.DEFINITION, WorkflowStatus.RUNNABLE, T0, null, lease);
        store.create(created);
        assertThat(store.renewLease(created.id(), "node-a", created.revision(), T0.plusSeconds(90))).isTrue();
        WorkflowInstance next = with(created, Map.of("n", 3), created.nextExecution(), lease);

        assertThat(store.save(next, created.revision(), List.of())).isTrue();

        assertThat(updates.getLast().getDocument("$set").keySet()).contains("leaseUntil", "definition", "createdAt");
        assertThat(store.load(created.id())).contains(next);
    }

    @Test
    void givenInstanceWrittenElsewhere_whenSavedOnTheNewRevision_thenEveryFieldIsSent() {
        WorkflowInstance created = TestInstances.runnable(T0);
        store.create(created);
        WorkflowInstance elsewhere = with(created, Map.of("by", "another node"), created.nextExecution(), null);
        assertThat(new MongoInstanceStore(client.getDatabase(database)).save(elsewhere, created.revision(), List.of())).isTrue();
        WorkflowInstance next = with(elsewhere, Map.of("n", 4), created.nextExecution(), null);

        assertThat(store.save(next, elsewhere.revision(), List.of())).isTrue();

        assertThat(updates.getLast().getDocument("$set").keySet()).contains("definition", "createdAt", "status");
        assertThat(store.load(created.id())).contains(next);
    }
}
