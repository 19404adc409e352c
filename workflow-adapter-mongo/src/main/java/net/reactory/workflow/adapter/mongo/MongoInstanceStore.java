package net.reactory.workflow.adapter.mongo;

import static net.reactory.workflow.adapter.mongo.InstanceDocuments.CAS;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.COMPLETED_AT;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.CREATED_AT;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.ID;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.INSTANTS;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.LEASE_OWNER;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.LEASE_UNTIL;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.NEXT_EXECUTION;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.OUTBOX;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.REFERENCE;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.REFERENCE_KEY;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.REVISION;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.STATUS;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.WORKFLOW;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.WRITE_ID;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.WriteModel;
import com.mongodb.client.result.DeleteResult;
import com.mongodb.client.result.UpdateResult;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import net.reactory.workflow.application.port.out.CreateResult;
import net.reactory.workflow.application.port.out.InstanceQuery;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.port.out.StoreUnavailableException;
import net.reactory.workflow.domain.instance.Lease;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.definition.WorkflowId;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/**
 * Instances in the MongoDB collection {@code workflow_instances}, one document each (see
 * {@link InstanceDocuments} for its shape). Single-document atomicity only:
 * <ul>
 * <li>a save is one {@code updateOne} filtered on exactly {@code {_id, revision}} (fencing);</li>
 * <li>a claim, renewal or release reads the document by {@code _id}, checks the conditions, then
 * compare-and-sets it with {@code findOneAndUpdate} filtered on exactly {@code {_id, cas}}, where {@code cas}
 * counts every write of the document: the condition read is the condition written on;</li>
 * <li>the events of a save go into the document's {@code outbox} in that same write (see {@link MongoOutbox});</li>
 * <li>each create and save stamps the document with a {@code writeId}: when an answer is lost (timeout, dropped
 * connection) and the caller tries the same write again, a write that had landed is recognised as saved.</li>
 * </ul>
 * Every hot-path filter is an equality on the whole key of a unique index, which both MongoDB and the
 * in-process test server answer without a scan; only the poller's due query and admin queries are ranges.
 * Calls block up to a timeout; a store that cannot be reached throws {@link StoreUnavailableException}.
 */
public final class MongoInstanceStore implements InstanceStore {

    public static final String COLLECTION = "workflow_instances";

    private static final Logger log = LoggerFactory.getLogger(MongoInstanceStore.class);
    private static final List<String> FINISHED = List.of(WorkflowStatus.COMPLETE.name(), WorkflowStatus.TERMINATED.name(),
            WorkflowStatus.FAILED.name());

    private final MongoCollection<Document> instances;
    private final InstanceDocuments documents;
    private volatile Duration timeout;
    /** Writes whose answer was lost (a timeout, a dropped connection): their id, to recognise them when retried. */
    private final Map<String, Attempt> inDoubt = new ConcurrentHashMap<>();
    private final String writerPrefix = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong()) + "-";
    private final java.util.concurrent.atomic.AtomicLong writes = new java.util.concurrent.atomic.AtomicLong();
    /** Outbox entries this process knows were published: instance id to revisions, each with when it was acknowledged. */
    private final Map<String, Map<Long, Long>> acknowledged = new ConcurrentHashMap<>();
    /** Off until a {@link MongoOutbox} is attached: without one, nothing would ever drop the entries. */
    private volatile boolean outboxEnabled;

    public MongoInstanceStore(MongoDatabase database) {
        this(database, new BsonData(), Duration.ofSeconds(10));
    }

    /**
     * @param data    how workflow data is written and read back
     * @param timeout the longest one call waits for the database
     */
    public MongoInstanceStore(MongoDatabase database, BsonData data, Duration timeout) {
        this.instances = Objects.requireNonNull(database, "database").getCollection(COLLECTION);
        this.documents = new InstanceDocuments(Objects.requireNonNull(data, "data"));
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** Creates the indexes, idempotently: call at start. */
    public MongoInstanceStore createIndexes() {
        List<IndexModel> indexes = List.of(
                new IndexModel(Indexes.ascending(STATUS, NEXT_EXECUTION), new IndexOptions().name("status_nextExecution")),
                new IndexModel(Indexes.ascending(LEASE_UNTIL), new IndexOptions().name("leaseUntil")),
                // One field "workflow + reference", present only with a reference: a sparse unique index on it is
                // honoured by MongoDB and the test server alike (the latter ignores partial filter expressions).
                new IndexModel(Indexes.ascending(REFERENCE_KEY), new IndexOptions().name("referenceKey").unique(true).sparse(true)),
                // Redundant on MongoDB, where _id alone finds the document; the in-process test server plans with
                // unique indexes only, and scans the collection for {_id, revision} without this one.
                new IndexModel(Indexes.ascending(ID, REVISION), new IndexOptions().name("id_revision").unique(true)),
                new IndexModel(Indexes.ascending(ID, CAS), new IndexOptions().name("id_cas").unique(true)));
        call(() -> Blocking.all(instances.createIndexes(indexes), timeout));
        return this;
    }

    // ------------------------------------------------------------------ InstanceStore

    /** One write of an instance, identified by {@code writeId} in the document it wrote. */
    private record Attempt(long expectedRevision, long revision, String writeId) {
    }

    private void rememberInDoubt(String instanceId, Attempt attempt) {
        if (inDoubt.size() >= 100_000) inDoubt.clear(); // abandoned retries must not grow without bound
        inDoubt.put(instanceId, attempt);
    }

    private String writeIdFor(String instanceId, long expectedRevision, long revision) {
        Attempt previous = inDoubt.get(instanceId);
        if (previous != null && previous.expectedRevision() == expectedRevision && previous.revision() == revision) return previous.writeId();
        return writerPrefix + Long.toHexString(writes.incrementAndGet());
    }

    /** Whether the stored document was written by the write {@code writeId}: an earlier try whose answer was lost. */
    private boolean landedEarlier(String instanceId, String writeId) {
        Attempt previous = inDoubt.get(instanceId);
        if (previous == null || !previous.writeId().equals(writeId)) return false;
        return read(instanceId).map(d -> writeId.equals(d.getString(WRITE_ID))).orElse(false);
    }

    @Override
    public CreateResult create(WorkflowInstance instance) {
        Objects.requireNonNull(instance, "instance");
        String writeId = writeIdFor(instance.id(), -1, instance.revision());
        Document document = documents.newDocument(instance).append(WRITE_ID, writeId);
        try {
            Blocking.one(instances.insertOne(document), timeout);
            inDoubt.remove(instance.id());
            return new CreateResult.Created(instance);
        } catch (StoreUnavailableException e) {
            rememberInDoubt(instance.id(), new Attempt(-1, instance.revision(), writeId));
            throw e;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) throw unavailable("create", e);
            if (landedEarlier(instance.id(), writeId)) {
                inDoubt.remove(instance.id());
                return new CreateResult.Created(instance);
            }
            if (instance.reference() != null) {
                Optional<Document> taken = call(() -> Blocking.first(instances.find(new Document(REFERENCE_KEY,
                        InstanceDocuments.referenceKey(instance))).projection(Projections.include(ID)).limit(1), timeout));
                if (taken.isPresent() && !taken.get().getString(ID).equals(instance.id())) {
                    return new CreateResult.ReferenceTaken(taken.get().getString(ID));
                }
            }
            throw new IllegalArgumentException("an instance with id " + instance.id() + " exists already");
        } catch (MongoException e) {
            rememberInDoubt(instance.id(), new Attempt(-1, instance.revision(), writeId));
            throw unavailable("create", e);
        }
    }

    @Override
    public Optional<WorkflowInstance> load(String instanceId) {
        return read(instanceId).map(documents::instance);
    }

    @Override
    public Optional<WorkflowInstance> findByReference(WorkflowId workflow, String reference) {
        return call(() -> Blocking.first(instances.find(new Document(REFERENCE_KEY, InstanceDocuments.referenceKey(workflow, reference))).limit(1),
                timeout)).map(documents::instance);
    }

    @Override
    public boolean save(WorkflowInstance instance, long expectedRevision, List<WorkflowEvent> changes) {
        Document set = documents.fields(instance);
        Document unset = new Document();
        for (String name : INSTANTS) {
            if (!set.containsKey(name + "Ns")) unset.put(name + "Ns", "");
        }
        if (instance.reference() == null) {
            unset.put(REFERENCE, "");
            unset.put(REFERENCE_KEY, "");
        }
        if (outboxEnabled && !changes.isEmpty()) {
            set.put(OUTBOX + ".r" + instance.revision(), new Document("at", new Date()).append("events", documents.events(changes)));
        }
        Map<Long, Long> acks = acknowledged.get(instance.id());
        Set<Long> published = acks == null ? Set.of() : new HashSet<>(acks.keySet());
        for (Long revision : published) {
            if (revision != instance.revision()) unset.put(OUTBOX + ".r" + revision, "");
        }
        String writeId = writeIdFor(instance.id(), expectedRevision, instance.revision());
        set.put(WRITE_ID, writeId);
        Document update = new Document("$set", set).append("$inc", new Document(CAS, 1L));
        if (!unset.isEmpty()) update.append("$unset", unset);
        UpdateResult result;
        try {
            result = call(() -> Blocking.one(instances.updateOne(
                    new Document(ID, instance.id()).append(REVISION, expectedRevision), update), timeout));
        } catch (StoreUnavailableException e) {
            rememberInDoubt(instance.id(), new Attempt(expectedRevision, instance.revision(), writeId));
            throw e;
        }
        // A retry of a save whose answer was lost finds its own write there: saved, not stale.
        boolean saved = result.getMatchedCount() == 1 || landedEarlier(instance.id(), writeId);
        inDoubt.remove(instance.id());
        if (saved && acks != null) {
            published.forEach(acks::remove);
            acknowledged.computeIfPresent(instance.id(), (id, map) -> map.isEmpty() ? null : map);
        }
        return saved;
    }

    @Override
    public List<WorkflowInstance> claimDue(String owner, Instant now, Instant leaseUntil, int limit) {
        List<WorkflowInstance> claimed = new ArrayList<>();
        Set<String> tried = new HashSet<>();
        while (claimed.size() < limit) {
            int want = limit - claimed.size();
            Bson due = new Document(STATUS, WorkflowStatus.RUNNABLE.name())
                    .append(NEXT_EXECUTION, new Document("$lte", Date.from(now)))
                    .append("$or", List.of(new Document(LEASE_UNTIL, null), new Document(LEASE_UNTIL, new Document("$lte", Date.from(now)))));
            int fetch = want + tried.size();
            List<Document> candidates = call(() -> Blocking.all(instances.find(due)
                    .projection(Projections.include(ID, CAS))
                    .sort(Sorts.ascending(NEXT_EXECUTION, ID))
                    .limit(fetch), timeout));
            boolean fresh = false;
            for (Document candidate : candidates) {
                if (claimed.size() >= limit || !tried.add(candidate.getString(ID))) continue;
                fresh = true;
                casClaim(candidate.getString(ID), candidate.get(CAS), owner, leaseUntil).ifPresent(claimed::add);
            }
            if (!fresh || candidates.size() < fetch) break;
        }
        return claimed;
    }

    @Override
    public Optional<WorkflowInstance> claim(String instanceId, String owner, Instant now, Instant leaseUntil) {
        while (true) {
            Optional<Document> stored = read(instanceId);
            if (stored.isEmpty()) return Optional.empty();
            WorkflowInstance current = documents.instance(stored.get());
            if (!current.isRunnableAt(now) || (current.lease() != null && current.lease().isHeldAt(now))) return Optional.empty();
            Optional<WorkflowInstance> claimed = casClaim(instanceId, stored.get().get(CAS), owner, leaseUntil);
            if (claimed.isPresent()) return claimed;
        }
    }

    private Optional<WorkflowInstance> casClaim(String instanceId, Object cas, String owner, Instant leaseUntil) {
        Document set = new Document(LEASE_OWNER, owner);
        InstanceDocuments.putInstant(set, LEASE_UNTIL, leaseUntil);
        Document update = new Document("$set", set).append("$inc", new Document(REVISION, 1L).append(CAS, 1L));
        if (!set.containsKey(LEASE_UNTIL + "Ns")) update.append("$unset", new Document(LEASE_UNTIL + "Ns", ""));
        Optional<Document> after = call(() -> Blocking.first(instances.findOneAndUpdate(new Document(ID, instanceId).append(CAS, cas), update,
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER)), timeout));
        return after.map(documents::instance);
    }

    @Override
    public boolean renewLease(String instanceId, String owner, long revision, Instant leaseUntil) {
        return changeLease(instanceId, owner, revision, new Lease(owner, leaseUntil));
    }

    @Override
    public boolean releaseLease(String instanceId, String owner, long revision) {
        return changeLease(instanceId, owner, revision, null);
    }

    private boolean changeLease(String instanceId, String owner, long revision, Lease lease) {
        while (true) {
            Optional<Document> stored = read(instanceId);
            if (stored.isEmpty()) return false;
            Document d = stored.get();
            if (((Number) d.get(REVISION)).longValue() != revision || !owner.equals(d.getString(LEASE_OWNER))) return false;
            Document set = new Document(LEASE_OWNER, lease == null ? null : lease.owner());
            InstanceDocuments.putInstant(set, LEASE_UNTIL, lease == null ? null : lease.until());
            Document update = new Document("$set", set).append("$inc", new Document(CAS, 1L));
            if (!set.containsKey(LEASE_UNTIL + "Ns")) update.append("$unset", new Document(LEASE_UNTIL + "Ns", ""));
            UpdateResult result = call(() -> Blocking.one(instances.updateOne(new Document(ID, instanceId).append(CAS, d.get(CAS)), update), timeout));
            if (result.getMatchedCount() == 1) return true;
        }
    }

    @Override
    public List<WorkflowInstance> query(InstanceQuery query) {
        Document filter = new Document();
        if (query.status() != null) filter.append(STATUS, query.status().name());
        if (query.workflow() != null) filter.append(WORKFLOW, query.workflow().toString());
        if (query.createdFrom() != null || query.createdTo() != null) {
            Document range = new Document();
            if (query.createdFrom() != null) range.append("$gte", Date.from(query.createdFrom()));
            if (query.createdTo() != null) range.append("$lt", Date.from(query.createdTo()));
            filter.append(CREATED_AT, range);
        }
        List<Document> found = call(() -> Blocking.all(instances.find(filter).sort(Sorts.ascending(CREATED_AT, ID))
                .skip(query.offset()).limit(query.limit()), timeout));
        return found.stream().map(documents::instance).toList();
    }

    @Override
    public long purgeFinishedBefore(Instant cutoff) {
        DeleteResult result = call(() -> Blocking.one(instances.deleteMany(new Document(STATUS, new Document("$in", FINISHED))
                .append(COMPLETED_AT, new Document("$lt", Date.from(cutoff)))), timeout));
        return result.getDeletedCount();
    }

    // ------------------------------------------------------------------ outbox

    /** From now on, saves write their events into the instance's outbox; called by {@link MongoOutbox}. */
    void enableOutbox() {
        outboxEnabled = true;
    }

    /**
     * Records that the events were published: their outbox entries are dropped by the instance's next save
     * (no extra round trip), or by {@link #flushAcknowledged} for instances that are not saved again.
     */
    public void acknowledge(List<WorkflowEvent> events) {
        long now = System.nanoTime();
        for (WorkflowEvent e : events) {
            acknowledged.computeIfAbsent(e.instanceId(), id -> new ConcurrentHashMap<>()).put(e.revision(), now);
        }
    }

    /** Drops, in one bulk write, the outbox entries acknowledged at least {@code age} ago; returns how many instances. */
    public int flushAcknowledged(Duration age) {
        long cutoff = System.nanoTime() - age.toNanos();
        List<WriteModel<Document>> writes = new ArrayList<>();
        List<Runnable> onSuccess = new ArrayList<>();
        for (Map.Entry<String, Map<Long, Long>> entry : acknowledged.entrySet()) {
            Document unset = new Document();
            List<Long> revisions = new ArrayList<>();
            entry.getValue().forEach((revision, at) -> {
                if (at - cutoff <= 0) {
                    unset.put(OUTBOX + ".r" + revision, "");
                    revisions.add(revision);
                }
            });
            if (unset.isEmpty()) continue;
            writes.add(new UpdateOneModel<>(new Document(ID, entry.getKey()), new Document("$unset", unset)));
            onSuccess.add(() -> {
                revisions.forEach(entry.getValue()::remove);
                acknowledged.computeIfPresent(entry.getKey(), (id, map) -> map.isEmpty() ? null : map);
            });
        }
        if (writes.isEmpty()) return 0;
        call(() -> Blocking.one(instances.bulkWrite(writes), timeout));
        onSuccess.forEach(Runnable::run);
        return writes.size();
    }

    /** Outbox entries written at least {@code age} ago and not yet dropped: events whose publication is in doubt. */
    public List<PendingEvents> pendingEvents(Duration age, int limit) {
        List<Document> found = call(() -> Blocking.all(instances.find(new Document(OUTBOX, new Document("$exists", true).append("$ne", new Document())))
                .projection(Projections.include(ID, OUTBOX)).limit(limit), timeout));
        Date cutoff = Date.from(Instant.now().minus(age));
        List<PendingEvents> pending = new ArrayList<>();
        for (Document d : found) {
            Document outbox = d.get(OUTBOX, Document.class);
            if (outbox == null) continue;
            for (Map.Entry<String, Object> entry : outbox.entrySet()) {
                if (!(entry.getValue() instanceof Document e) || e.getDate("at") == null || !e.getDate("at").before(cutoff)) continue;
                List<WorkflowEvent> events = new ArrayList<>();
                for (Document event : e.getList("events", Document.class, List.of())) events.add(documents.event(event));
                pending.add(new PendingEvents(d.getString(ID), Long.parseLong(entry.getKey().substring(1)), events));
            }
        }
        return pending;
    }

    /** Drops one outbox entry once its events are published. */
    public void markPublished(PendingEvents pending) {
        call(() -> Blocking.one(instances.updateOne(new Document(ID, pending.instanceId()),
                new Document("$unset", new Document(OUTBOX + ".r" + pending.revision(), ""))), timeout));
    }

    /** The events of one outbox entry: one transition of one instance. */
    public record PendingEvents(String instanceId, long revision, List<WorkflowEvent> events) {
    }

    // ------------------------------------------------------------------ helpers

    /** Changes the longest wait for the database; for tests that lose answers on purpose. */
    void timeout(Duration newTimeout) {
        this.timeout = Objects.requireNonNull(newTimeout, "newTimeout");
    }

    private Optional<Document> read(String instanceId) {
        return call(() -> Blocking.first(instances.find(new Document(ID, instanceId)).limit(1), timeout));
    }

    private <T> T call(java.util.function.Supplier<T> operation) {
        try {
            return operation.get();
        } catch (MongoException e) {
            throw unavailable("call", e);
        }
    }

    private static StoreUnavailableException unavailable(String what, MongoException e) {
        log.debug("MongoDB {} failed: {}", what, e.toString());
        return new StoreUnavailableException("MongoDB " + what + " failed: " + e.getMessage(), e);
    }
}
