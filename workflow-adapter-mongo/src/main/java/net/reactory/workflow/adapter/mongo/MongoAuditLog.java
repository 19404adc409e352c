package net.reactory.workflow.adapter.mongo;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.bson.Document;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import net.reactory.workflow.application.port.out.AuditEntry;
import net.reactory.workflow.application.port.out.AuditLog;
import net.reactory.workflow.application.port.out.StoreUnavailableException;

/** The audit log in the collection {@code workflow_audit}: one readable document per command, newest found first. */
public final class MongoAuditLog implements AuditLog {

    public static final String COLLECTION = "workflow_audit";

    private final MongoCollection<Document> entries;
    private final Duration timeout;

    public MongoAuditLog(MongoDatabase database) {
        this(database, Duration.ofSeconds(10));
    }

    public MongoAuditLog(MongoDatabase database, Duration timeout) {
        this.entries = Objects.requireNonNull(database, "database").getCollection(COLLECTION);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** Creates the index on {@code at}, idempotently. */
    public MongoAuditLog createIndexes() {
        call(() -> Blocking.all(entries.createIndexes(List.of(new IndexModel(Indexes.descending("at"), new IndexOptions().name("at")))), timeout));
        return this;
    }

    @Override
    public void record(AuditEntry entry) {
        Document d = document(entry);
        call(() -> Blocking.one(entries.insertOne(d), timeout));
    }

    /**
     * Records the entry under {@code id} unless an entry with that id is there already: for copying entries kept
     * elsewhere (a node's memory fallback) so that a copy tried again adds nothing twice.
     *
     * @return true when recorded by this call
     */
    public boolean recordIfAbsent(String id, AuditEntry entry) {
        Document d = new Document("_id", Objects.requireNonNull(id, "id")).append("schema", InstanceDocuments.SCHEMA_VERSION);
        d.putAll(document(entry));
        try {
            Blocking.one(entries.insertOne(d), timeout);
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) return false;
            throw new StoreUnavailableException("MongoDB audit log failed: " + e.getMessage(), e);
        } catch (MongoException e) {
            throw new StoreUnavailableException("MongoDB audit log failed: " + e.getMessage(), e);
        }
    }

    private static Document document(AuditEntry entry) {
        Document d = new Document("schema", InstanceDocuments.SCHEMA_VERSION);
        InstanceDocuments.putInstant(d, "at", entry.at());
        d.append("actor", entry.actor()).append("entryPoint", entry.entryPoint()).append("command", entry.command())
                .append("target", entry.target()).append("outcome", entry.outcome()).append("detail", entry.detail());
        return d;
    }

    @Override
    public List<AuditEntry> recent(int limit) {
        if (limit < 1) return List.of();
        List<Document> found = call(() -> Blocking.all(entries.find().sort(Sorts.descending("at", "_id")).limit(limit), timeout));
        return found.stream().map(d -> new AuditEntry(InstanceDocuments.getInstant(d, "at"), d.getString("actor"), d.getString("entryPoint"),
                d.getString("command"), d.getString("target"), d.getString("outcome"), d.getString("detail"))).toList();
    }

    private static <T> T call(java.util.function.Supplier<T> operation) {
        try {
            return operation.get();
        } catch (MongoException e) {
            throw new StoreUnavailableException("MongoDB audit log failed: " + e.getMessage(), e);
        }
    }
}
