package net.reactory.workflow.adapter.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.bson.types.Binary;
import org.junit.jupiter.api.Test;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import net.reactory.workflow.application.port.out.HistoryEntry;
import net.reactory.workflow.application.port.out.TestInstances;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/** How the history sits in an instance's document: binaries, with entries written as sub-documents before still read. */
class MongoHistoryFormatTest {

    private static final Instant NOW = Instant.parse("2026-12-04T19:00:00Z");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final MongoDatabase database = TestMongo.freshDatabase();
    private final MongoInstanceStore store = new MongoInstanceStore(database).createIndexes();
    private final MongoCollection<Document> documents = database.getCollection(MongoInstanceStore.COLLECTION);

    @Test
    void givenSavedEvents_whenTheDocumentIsRead_thenEachHistoryEntryIsABinary() {
        WorkflowInstance instance = TestInstances.runnable(NOW);
        store.create(instance, List.of(started(instance)));
        WorkflowInstance next = TestInstances.advanced(instance, Map.of("n", 2));
        store.save(next, instance.revision(), List.of(completed(next, "Reserve")));

        List<Object> history = rawHistory(instance.id());

        assertThat(history).hasSize(2).allSatisfy(e -> assertThat(e).isInstanceOf(Binary.class));
    }

    @Test
    void givenAnEntryWrittenAsASubDocumentBefore_whenHistoryRead_thenItComesFirstAndTheNewOnesAfterIt() {
        WorkflowInstance instance = TestInstances.runnable(NOW);
        store.create(instance, List.of());
        Document old = new Document("r", instance.revision()).append("at", Date.from(NOW))
                .append("type", "WorkflowStarted").append("kind", "workflow.started");
        Blocking.first(documents.updateOne(Filters.eq("_id", instance.id()),
                Updates.combine(Updates.set("history", List.of(old)), Updates.set("historyCount", 1L))), TIMEOUT);
        WorkflowInstance next = TestInstances.advanced(instance, Map.of("n", 2));
        store.save(next, instance.revision(), List.of(completed(next, "Reserve")));

        List<HistoryEntry> entries = store.history(instance.id(), 0, 10).orElseThrow().entries();

        assertThat(entries).extracting(HistoryEntry::type).containsExactly("WorkflowStarted", "StepCompleted");
        assertThat(entries.get(0).at()).isEqualTo(NOW);
        assertThat(entries.get(1).step()).isEqualTo("Reserve");
        assertThat(rawHistory(instance.id()).get(0)).isInstanceOf(Document.class);
    }

    private List<Object> rawHistory(String id) {
        Document d = Blocking.first(documents.find(Filters.eq("_id", id)).first(), TIMEOUT).orElseThrow();
        return d.getList("history", Object.class);
    }

    private static WorkflowEvent.WorkflowStarted started(WorkflowInstance i) {
        return new WorkflowEvent.WorkflowStarted(i.id(), i.definition(), i.revision(), i.createdAt(), null);
    }

    private static WorkflowEvent.StepCompleted completed(WorkflowInstance i, String step) {
        return new WorkflowEvent.StepCompleted(i.id(), i.definition(), i.revision(), NOW.plusSeconds(1), step, 7);
    }
}
