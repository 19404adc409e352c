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

import net.reactory.workflow.application.port.out.TestInstances;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;

class MongoOutboxTest {

    private final MongoDatabase database = TestMongo.freshDatabase();
    private final MongoInstanceStore store = new MongoInstanceStore(database).createIndexes();
    private final List<WorkflowEvent> published = new CopyOnWriteArrayList<>();
    private final MongoOutbox outbox = new MongoOutbox(store, published::addAll);

    private static List<WorkflowEvent> eventsOf(WorkflowInstance next) {
        return List.of(new WorkflowEvent.StepCompleted(next.id(), next.definition(), next.revision(), Instant.parse("2026-06-01T12:00:01.000000123Z"), "A", 0),
                new WorkflowEvent.WorkflowCompleted(next.id(), next.definition(), next.revision(), Instant.parse("2026-06-01T12:00:01Z")));
    }

    private Document raw(String id) {
        return Blocking.one(database.getCollection(MongoInstanceStore.COLLECTION).find(new Document("_id", id)), Duration.ofSeconds(5));
    }

    private Document outboxOf(String id) {
        Document raw = raw(id);
        Document box = raw.get("outbox", Document.class);
        return box == null ? new Document() : box;
    }

    @Test
    void givenSavedEvents_whenProcessDiesBeforePublishing_thenRelayPublishesThemOnceEqual() {
        WorkflowInstance instance = TestInstances.runnable(Instant.now());
        store.create(instance);
        WorkflowInstance next = TestInstances.advanced(instance, Map.of("n", 2));
        List<WorkflowEvent> events = eventsOf(next);
        assertThat(store.save(next, instance.revision(), events)).isTrue();
        // the runner dies here: nobody publishes

        assertThat(outbox.relayOnce(Duration.ZERO)).isEqualTo(1);
        assertThat(outbox.relayOnce(Duration.ZERO)).isZero();

        assertThat(published).containsExactlyElementsOf(events);
        assertThat(outboxOf(instance.id())).isEmpty();
    }

    @Test
    void givenEventsPublishedThroughTheOutboxPublisher_whenNextSaveAndFlushRun_thenOutboxEmptiedAndNothingRepublished() {
        WorkflowInstance instance = TestInstances.runnable(Instant.now());
        store.create(instance);
        WorkflowInstance second = TestInstances.advanced(instance, Map.of("n", 2));
        store.save(second, instance.revision(), eventsOf(second));
        outbox.publisher().publish(eventsOf(second));
        WorkflowInstance third = TestInstances.advanced(second, Map.of("n", 3));
        store.save(third, second.revision(), eventsOf(third));

        assertThat(outboxOf(instance.id()).keySet()).containsExactly("r" + third.revision());

        outbox.publisher().publish(eventsOf(third));
        assertThat(outbox.flushAcknowledged(Duration.ZERO)).isEqualTo(1);
        assertThat(outboxOf(instance.id())).isEmpty();
        assertThat(outbox.relayOnce(Duration.ZERO)).isZero();
        assertThat(published).hasSize(4);
    }

    @Test
    void givenStaleSave_whenRelayRuns_thenItsEventsAreNeverPublished() {
        WorkflowInstance instance = TestInstances.runnable(Instant.now());
        store.create(instance);
        WorkflowInstance winner = TestInstances.advanced(instance, Map.of("n", 2));
        store.save(winner, instance.revision(), List.of());
        WorkflowInstance loser = TestInstances.advanced(instance, Map.of("n", 99));

        assertThat(store.save(loser, instance.revision(), eventsOf(loser))).isFalse();

        assertThat(outbox.relayOnce(Duration.ZERO)).isZero();
        assertThat(published).isEmpty();
    }

    @Test
    void givenFreshUnacknowledgedEntry_whenRelayRunsWithinGrace_thenLeftForTheRunnerToPublish() {
        WorkflowInstance instance = TestInstances.runnable(Instant.now());
        store.create(instance);
        WorkflowInstance next = TestInstances.advanced(instance, Map.of("n", 2));
        store.save(next, instance.revision(), eventsOf(next));

        assertThat(outbox.relayOnce(Duration.ofMinutes(1))).isZero();
        assertThat(outboxOf(instance.id()).keySet()).containsExactly("r" + next.revision());
    }

    @Test
    void givenEventsInDoubt_whenRelayed_thenOutboxAtMarksThemUntilThenAndGoesWithThem() {
        WorkflowInstance instance = TestInstances.runnable(Instant.now());
        store.create(instance);
        WorkflowInstance next = TestInstances.advanced(instance, Map.of("n", 2));
        store.save(next, instance.revision(), eventsOf(next));
        assertThat(raw(instance.id()).getDate("outboxAt")).as("the relay's index finds the entry").isNotNull();

        assertThat(outbox.relayOnce(Duration.ZERO)).isEqualTo(1);

        assertThat(raw(instance.id())).doesNotContainKey("outboxAt");
        assertThat(outbox.pendingEvents(Duration.ZERO, 10)).isEmpty();
    }

    @Test
    void givenInstanceCreatedHereWhoseEventsWentOut_whenTheLastEntryIsDropped_thenOutboxAtGoesInTheSameFlush() {
        WorkflowInstance instance = TestInstances.runnable(Instant.now());
        store.create(instance);
        WorkflowInstance second = TestInstances.advanced(instance, Map.of("n", 2));
        store.save(second, instance.revision(), eventsOf(second));
        outbox.publisher().publish(eventsOf(second));
        WorkflowInstance third = TestInstances.advanced(second, Map.of("n", 3));
        store.save(third, second.revision(), eventsOf(third));
        assertThat(raw(instance.id())).as("the third's entry is still there").containsKey("outboxAt");

        outbox.publisher().publish(eventsOf(third));
        outbox.flushAcknowledged(Duration.ZERO);

        assertThat(raw(instance.id())).doesNotContainKey("outboxAt");
    }

    @Test
    void givenInstanceCreatedElsewhere_whenItsEventsWentOut_thenTheRelayVisitsItOnceAndClearsOutboxAt() {
        WorkflowInstance instance = TestInstances.runnable(Instant.now());
        store.create(instance);
        MongoInstanceStore otherNode = new MongoInstanceStore(database);
        MongoOutbox otherOutbox = new MongoOutbox(otherNode, published::addAll);
        WorkflowInstance next = TestInstances.advanced(instance, Map.of("n", 2));
        otherNode.save(next, instance.revision(), eventsOf(next));
        otherOutbox.publisher().publish(eventsOf(next));
        otherOutbox.flushAcknowledged(Duration.ZERO);
        assertThat(outboxOf(instance.id())).isEmpty();
        assertThat(raw(instance.id())).as("the other node cannot know no older entry was there").containsKey("outboxAt");

        assertThat(outbox.relayOnce(Duration.ZERO)).isZero();

        assertThat(raw(instance.id())).doesNotContainKey("outboxAt");
        assertThat(published).hasSize(2);
    }
}
