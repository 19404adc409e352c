package net.reactory.workflow.adapter.mongo;

import static net.reactory.workflow.adapter.mongo.InstanceDocuments.ID;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import org.bson.Document;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.MongoException;
import com.mongodb.reactivestreams.client.MongoCollection;

import net.reactory.workflow.application.port.out.StoreUnavailableException;

/**
 * How calls reach {@code workflow_instances}: each blocks up to the timeout, and a driver failure becomes a
 * {@link StoreUnavailableException}, except for an insert, whose caller tells a duplicate key from an outage.
 * What is written is decided elsewhere ({@link InstanceUpdates}); this only sends it.
 */
final class InstanceCollection {

    private static final Logger log = LoggerFactory.getLogger(InstanceCollection.class);

    private final MongoCollection<Document> collection;
    private volatile Duration timeout;

    InstanceCollection(MongoCollection<Document> collection, Duration timeout) {
        this.collection = Objects.requireNonNull(collection, "collection");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** Changes the longest wait for the database; for tests that lose answers on purpose. */
    void timeout(Duration newTimeout) {
        this.timeout = Objects.requireNonNull(newTimeout, "newTimeout");
    }

    /** The document with that id, if any, without its history. */
    Optional<Document> read(String instanceId) {
        return first(c -> c.find(new Document(ID, instanceId)).projection(HistoryField.WITHOUT).limit(1));
    }

    /** All a query emits; a query given up on is cancelled. */
    <T> List<T> all(Function<MongoCollection<Document>, Publisher<T>> query) {
        return call(() -> Blocking.all(query.apply(collection), timeout));
    }

    /** The first item a call emits, if any. */
    <T> Optional<T> first(Function<MongoCollection<Document>, Publisher<T>> request) {
        return call(() -> Blocking.first(request.apply(collection), timeout));
    }

    /** The one answer of a write. */
    <T> T one(Function<MongoCollection<Document>, Publisher<T>> write) {
        return call(() -> Blocking.one(write.apply(collection), timeout));
    }

    /**
     * Inserts one document. A driver error stays a {@link MongoException} (a duplicate key is an answer, not an
     * outage); a timeout is a {@link StoreUnavailableException}.
     */
    void insert(Document document) {
        Blocking.one(collection.insertOne(document), timeout);
    }

    private static <T> T call(Supplier<T> operation) {
        try {
            return operation.get();
        } catch (MongoException e) {
            throw unavailable("call", e);
        }
    }

    static StoreUnavailableException unavailable(String what, MongoException e) {
        log.debug("MongoDB {} failed: {}", what, e.toString());
        return new StoreUnavailableException("MongoDB " + what + " failed: " + e.getMessage(), e);
    }
}
