package net.reactory.workflow.adapter.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import com.mongodb.reactivestreams.client.MongoClient;

import net.reactory.workflow.application.port.out.TestInstances;
import net.reactory.workflow.domain.instance.Lease;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/**
 * A renewal or release of a document this process wrote last goes as one compare-and-set on the write count it knows,
 * without reading the document first; written since by anyone else, the change reads it and still fences on owner and
 * revision.
 */
class LeaseChangesTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private final Map<String, AtomicLong> commands = new ConcurrentHashMap<>();
    private final MongoClient client = TestMongo.newClient(new CommandListener() {
        @Override
        public void commandStarted(CommandStartedEvent event) {
            commands.computeIfAbsent(event.getCommandName(), n -> new AtomicLong()).incrementAndGet();
        }
    });
    private final String database = TestMongo.freshName();
    private final MongoInstanceStore store = new MongoInstanceStore(client.getDatabase(database)).createIndexes();

    @AfterEach
    void tearDown() {
        client.close();
    }

    private long sent(String command) {
        AtomicLong n = commands.get(command);
        return n == null ? 0 : n.get();
    }

    private WorkflowInstance leased(String owner) {
        return TestInstances.instance(TestInstances.DEFINITION, WorkflowStatus.RUNNABLE, T0, null, new Lease(owner, T0.plusSeconds(30)));
    }

    @Test
    void givenInstanceThisProcessCreatedAndSaved_whenLeaseRenewedThenReleased_thenNoReadIsSentAndTheDocumentHoldsEach() {
        WorkflowInstance created = leased("node-a");
        store.create(created);
        WorkflowInstance next = TestInstances.advanced(created, Map.of("n", 1));
        assertThat(store.save(next, created.revision(), List.of())).isTrue();
        long findsBefore = sent("find");

        assertThat(store.renewLease(created.id(), "node-a", next.revision(), T0.plusSeconds(90))).isTrue();
        assertThat(sent("find")).as("renewal without a read").isEqualTo(findsBefore);
        assertThat(store.load(created.id()).orElseThrow().lease()).isEqualTo(new Lease("node-a", T0.plusSeconds(90)));

        findsBefore = sent("find");
        assertThat(store.releaseLease(created.id(), "node-a", next.revision())).isTrue();
        assertThat(sent("find")).as("release without a read").isEqualTo(findsBefore);
        assertThat(store.load(created.id()).orElseThrow().lease()).isNull();
    }

    @Test
    void givenKnownStateOfAnotherOwnerOrRevision_whenReleased_thenRefusedAfterReadingTheDocument() {
        WorkflowInstance created = leased("node-a");
        store.create(created);

        assertThat(store.releaseLease(created.id(), "node-b", created.revision())).as("not the owner").isFalse();
        assertThat(store.releaseLease(created.id(), "node-a", created.revision() + 1)).as("not the revision").isFalse();
        assertThat(store.load(created.id()).orElseThrow().lease()).isEqualTo(created.lease());
    }

    @Test
    void givenLeaseRenewedThroughAnotherStoreSinceThisProcessWroteIt_whenReleased_thenItReadsTheDocumentAndReleases() {
        WorkflowInstance created = leased("node-a");
        store.create(created);
        MongoInstanceStore elsewhere = new MongoInstanceStore(client.getDatabase(database));
        assertThat(elsewhere.renewLease(created.id(), "node-a", created.revision(), T0.plusSeconds(60))).isTrue();
        long findsBefore = sent("find");

        assertThat(store.releaseLease(created.id(), "node-a", created.revision())).isTrue();

        assertThat(sent("find")).as("the known write count was out of date: read once").isGreaterThan(findsBefore);
        assertThat(store.load(created.id()).orElseThrow().lease()).isNull();
    }

    @Test
    void givenInstanceClaimedElsewhereSinceThisProcessWroteIt_whenOldOwnerReleases_thenRefused() {
        WorkflowInstance created = TestInstances.instance(TestInstances.DEFINITION, WorkflowStatus.RUNNABLE, T0, null,
                new Lease("node-a", T0.plusSeconds(1)));
        store.create(created);
        MongoInstanceStore elsewhere = new MongoInstanceStore(client.getDatabase(database));
        WorkflowInstance claimed = elsewhere.claim(created.id(), "node-b", T0.plusSeconds(5), T0.plusSeconds(35)).orElseThrow();

        assertThat(store.releaseLease(created.id(), "node-a", created.revision())).isFalse();
        assertThat(store.load(created.id()).orElseThrow().lease()).isEqualTo(claimed.lease());
    }
}
