package net.reactory.workflow.adapter.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.reactivestreams.client.MongoDatabase;

import net.reactory.workflow.application.port.out.LifecycleEventPublisher;
import net.reactory.workflow.application.port.out.TestInstances;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/**
 * Two stores on one database acting as two nodes: an instance created on one runs a step on the other, whose publish
 * fails (the broker is away), then comes back to its creator. The creator's writes must not drop {@code outboxAt}
 * while the other node's entry is still in the document: the relay finds entries only through it.
 */
class OutboxTakeoverTest {

    private final MongoDatabase database = TestMongo.freshDatabase();
    private final List<WorkflowEvent> published = new CopyOnWriteArrayList<>();
    private final MongoInstanceStore creator = new MongoInstanceStore(database).createIndexes();
    private final MongoOutbox creatorOutbox = new MongoOutbox(creator, published::addAll);
    private final MongoInstanceStore other = new MongoInstanceStore(database);
    private final LifecycleEventPublisher brokerAway = events -> {
        throw new IllegalStateException("RabbitMQ is away");
    };
    private final MongoOutbox otherOutbox = new MongoOutbox(other, brokerAway);

    private static List<WorkflowEvent> stepOf(WorkflowInstance next, String step) {
        return List.of(new WorkflowEvent.StepCompleted(next.id(), next.definition(), next.revision(), Instant.parse("2026-06-01T12:00:01Z"), step, 0));
    }

    private Document raw(String id) {
        return Blocking.one(database.getCollection(MongoInstanceStore.COLLECTION).find(new Document("_id", id)), Duration.ofSeconds(5));
    }

    private WorkflowInstance claim(MongoInstanceStore store, String id, String owner) {
        Instant now = Instant.now();
        return store.claim(id, owner, now.plusSeconds(1), now.plusSeconds(30)).orElseThrow();
    }

    /** Claims, runs one step (a save with its step.completed) and releases, as a runner does. */
    private WorkflowInstance step(MongoInstanceStore store, LifecycleEventPublisher publisher, String id, String owner, String name) {
        WorkflowInstance claimed = claim(store, id, owner);
        WorkflowInstance next = TestInstances.advanced(claimed, Map.of("step", name));
        List<WorkflowEvent> events = stepOf(next, name);
        assertThat(store.save(next, claimed.revision(), events)).isTrue();
        try {
            publisher.publish(events);
        } catch (IllegalStateException brokerAwayHere) {
            // the runner logs it and goes on: the entry stays in the outbox for the relay
        }
        assertThat(store.releaseLease(id, owner, next.revision())).isTrue();
        return next;
    }

    @Test
    void givenStepOfAnotherNodeUnpublished_whenTheCreatorRunsTheNextStepAndFlushes_thenTheRelayStillPublishesIt() {
        WorkflowInstance instance = TestInstances.runnable(Instant.now());
        creator.create(instance);

        step(creator, creatorOutbox.publisher(), instance.id(), "node-a", "s1");
        step(other, otherOutbox.publisher(), instance.id(), "node-b", "s2");
        step(creator, creatorOutbox.publisher(), instance.id(), "node-a", "s3");
        creatorOutbox.flushAcknowledged(Duration.ZERO);

        assertThat(raw(instance.id()).get("outbox", Document.class)).as("node b's entry is still there").isNotEmpty();
        assertThat(raw(instance.id())).as("and the relay's index still finds it").containsKey("outboxAt");
        assertThat(creatorOutbox.relayOnce(Duration.ZERO)).isEqualTo(1);
        assertThat(published).extracting(e -> ((WorkflowEvent.StepCompleted) e).step()).containsExactlyInAnyOrder("s1", "s3", "s2");
    }

    @Test
    void givenEveryStepRunOnItsCreator_whenTheirEventsWentOut_thenTheFlushDropsOutboxAt() {
        WorkflowInstance instance = TestInstances.runnable(Instant.now());
        creator.create(instance);

        step(creator, creatorOutbox.publisher(), instance.id(), "node-a", "s1");
        step(creator, creatorOutbox.publisher(), instance.id(), "node-a", "s2");
        creatorOutbox.flushAcknowledged(Duration.ZERO);

        assertThat(raw(instance.id())).as("the creator saw every write: no visit of the relay needed").doesNotContainKey("outboxAt");
    }
}
