package net.reactory.workflow.adapter.mongo;

import static net.reactory.workflow.adapter.mongo.InstanceDocuments.getInstant;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.putInstant;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;

import org.bson.Document;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import net.reactory.workflow.application.port.out.EventStore;
import net.reactory.workflow.application.port.out.EventSubscription;
import net.reactory.workflow.application.port.out.PublishedEvent;
import net.reactory.workflow.application.port.out.StoreUnavailableException;

/**
 * External events in {@code workflow_events} ({@code _id} is the event id, so an id is stored once) and waits in
 * {@code workflow_subscriptions}. The single-winner operations are single-document writes: a wait is consumed by
 * the one {@code deleteOne} that removes it, an event by the one {@code updateOne} that turns
 * {@code delivered} from false to true, filtered on exactly {@code {_id, delivered}} (a unique index on that pair
 * lets the in-process test server find it without a scan). Event data goes through {@link BsonData}.
 */
public final class MongoEventStore implements EventStore {

    public static final String EVENTS = "workflow_events";
    public static final String SUBSCRIPTIONS = "workflow_subscriptions";

    private final MongoCollection<Document> events;
    private final MongoCollection<Document> subscriptions;
    private final BsonData data;
    private final Duration timeout;

    public MongoEventStore(MongoDatabase database) {
        this(database, new BsonData(), Duration.ofSeconds(10));
    }

    public MongoEventStore(MongoDatabase database, BsonData data, Duration timeout) {
        Objects.requireNonNull(database, "database");
        this.events = database.getCollection(EVENTS);
        this.subscriptions = database.getCollection(SUBSCRIPTIONS);
        this.data = Objects.requireNonNull(data, "data");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** Creates the indexes, idempotently: call at start. */
    public MongoEventStore createIndexes() {
        call(() -> Blocking.all(events.createIndexes(List.of(
                new IndexModel(Indexes.ascending("name", "key", "delivered", "effectiveAt"), new IndexOptions().name("name_key_pending")),
                new IndexModel(Indexes.ascending("_id", "delivered"), new IndexOptions().name("id_delivered").unique(true)))), timeout));
        call(() -> Blocking.all(subscriptions.createIndexes(List.of(
                new IndexModel(Indexes.ascending("name", "key"), new IndexOptions().name("name_key")))), timeout));
        return this;
    }

    @Override
    public boolean append(PublishedEvent event) {
        BsonData.Encoded encoded = data.encode(event.data());
        Document d = new Document("_id", event.id()).append("schema", InstanceDocuments.SCHEMA_VERSION)
                .append("name", event.name()).append("key", event.key()).append("data", encoded.value())
                .append("dataType", encoded.type()).append("delivered", false);
        putInstant(d, "effectiveAt", event.effectiveAt());
        putInstant(d, "publishedAt", event.publishedAt());
        if (!event.traceContext().isEmpty()) d.put(InstanceDocuments.TRACE_CONTEXT, new Document(event.traceContext()));
        return insertUnlessPresent(events, d);
    }

    @Override
    public void subscribe(EventSubscription s) {
        Document d = new Document("_id", s.id()).append("schema", InstanceDocuments.SCHEMA_VERSION).append("instanceId", s.instanceId())
                .append("pointerId", s.pointerId()).append("name", s.name()).append("key", s.key());
        putInstant(d, "since", s.since());
        putInstant(d, "createdAt", s.createdAt());
        // Replaced, not kept: a step that ran again after a crash waits for what it computed last.
        call(() -> Blocking.one(subscriptions.replaceOne(new Document("_id", s.id()), d, new ReplaceOptions().upsert(true)), timeout));
    }

    @Override
    public List<EventSubscription> subscriptionsFor(String name, String key, Instant effectiveAt) {
        // Dates hold milliseconds: the query is a superset, the exact instant is checked on each wait.
        Document filter = new Document("name", name).append("key", key).append("$or", List.of(new Document("since", null),
                new Document("since", new Document("$lte", Date.from(effectiveAt)))));
        return call(() -> Blocking.all(subscriptions.find(filter).sort(Sorts.ascending("createdAt", "_id")), timeout)).stream()
                .map(MongoEventStore::subscription).filter(s -> s.accepts(effectiveAt)).toList();
    }

    @Override
    public List<PublishedEvent> pendingEvents(String name, String key, Instant since) {
        Document filter = new Document("name", name).append("key", key).append("delivered", false);
        if (since != null) filter.append("effectiveAt", new Document("$gte", Date.from(since)));
        return call(() -> Blocking.all(events.find(filter).sort(Sorts.ascending("effectiveAt", "effectiveAtNs", "_id")), timeout)).stream()
                .map(this::event).filter(e -> since == null || !e.effectiveAt().isBefore(since)).toList();
    }

    @Override
    public boolean removeSubscription(EventSubscription subscription) {
        // On the name and key too: a wait replaced by one on another key is not the one this caller consumes.
        Document filter = new Document("_id", subscription.id()).append("name", subscription.name()).append("key", subscription.key());
        return call(() -> Blocking.one(subscriptions.deleteOne(filter), timeout)).getDeletedCount() == 1;
    }

    @Override
    public boolean markDelivered(String eventId) {
        return call(() -> Blocking.one(events.updateOne(new Document("_id", eventId).append("delivered", false),
                new Document("$set", new Document("delivered", true))), timeout)).getModifiedCount() == 1;
    }

    @Override
    public long purgeDeliveredBefore(Instant cutoff) {
        // Millisecond dates: an event published within the cutoff's millisecond stays until the next purge.
        return call(() -> Blocking.one(events.deleteMany(new Document("delivered", true)
                .append("publishedAt", new Document("$lt", Date.from(cutoff)))), timeout)).getDeletedCount();
    }

    private PublishedEvent event(Document d) {
        return new PublishedEvent(d.getString("_id"), d.getString("name"), d.getString("key"),
                data.decode(d.get("data"), d.getString("dataType")), getInstant(d, "effectiveAt"), getInstant(d, "publishedAt"),
                InstanceDocuments.traceContext(d));
    }

    private static EventSubscription subscription(Document d) {
        return new EventSubscription(d.getString("instanceId"), ((Number) d.get("pointerId")).intValue(),
                d.getString("name"), d.getString("key"), getInstant(d, "since"), getInstant(d, "createdAt"));
    }

    private boolean insertUnlessPresent(MongoCollection<Document> collection, Document d) {
        try {
            Blocking.one(collection.insertOne(d), timeout);
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) return false;
            throw new StoreUnavailableException("MongoDB insert failed: " + e.getMessage(), e);
        } catch (MongoException e) {
            throw new StoreUnavailableException("MongoDB insert failed: " + e.getMessage(), e);
        }
    }

    private static <T> T call(java.util.function.Supplier<T> operation) {
        try {
            return operation.get();
        } catch (MongoException e) {
            throw new StoreUnavailableException("MongoDB event store failed: " + e.getMessage(), e);
        }
    }
}
