package net.reactory.workflow.adapter.mongo;

import static net.reactory.workflow.adapter.mongo.InstanceDocuments.CAS;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.COMPLETED_AT;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.CREATED_AT;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.ID;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.LEASE_UNTIL;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.NEXT_EXECUTION;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.OUTBOX_AT;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.REFERENCE_KEY;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.REVISION;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.STATUS;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.WRITE_ID;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.bson.Document;
import org.bson.conversions.Bson;

import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.result.DeleteResult;
import com.mongodb.reactivestreams.client.MongoDatabase;

import net.reactory.workflow.application.port.out.CreateResult;
import net.reactory.workflow.application.port.out.HistoryPage;
import net.reactory.workflow.application.port.in.InstanceFilter;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.port.out.StoreUnavailableException;
import net.reactory.workflow.domain.instance.Lease;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.definition.WorkflowId;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/**
 * Instances in the MongoDB collection {@code workflow_instances}, one document each (see
 * {@link InstanceDocuments} for its shape): creates, loads, saves, claims and leases. Single-document atomicity only:
 * <ul>
 * <li>a save is one {@code updateOne} filtered on exactly {@code {_id, revision}} (fencing);</li>
 * <li>a claim, renewal or release reads the document by {@code _id}, checks the conditions, then
 * compare-and-sets it filtered on exactly {@code {_id, cas}}, where {@code cas} counts every write of the
 * document: the condition read is the condition written on. A bounded number of tries
 * ({@link CompareAndSetLoop}); a renewal or release of a document whose count this process knows from its own last
 * write skips the read ({@link LeaseChanges});</li>
 * <li>the events of a save go into the document's {@code outbox} in that same write (see {@link MongoOutbox}), and
 * into its bounded {@code history} ({@link HistoryField});</li>
 * <li>each create and save stamps the document with a {@code writeId}: when an answer is lost (timeout, dropped
 * connection) and the caller tries the same write again, a write that had landed is recognised as saved
 * ({@link InDoubtWrites}).</li>
 * </ul>
 * Creates, saves and lease changes are sent by {@link GroupCommit}: the writes of many callers at once go as one
 * unordered batch (one insert and one update command, {@link WriteCommands}), each caller woken with its own
 * outcome; fencing is each update's own filter, as before.
 * What a write is comes from {@link InstanceUpdates}; how it is sent, from {@link GroupCommit} and {@link InstanceCollection}.
 * Every hot-path filter is an equality on the whole key of a unique index, which both MongoDB and the
 * in-process test server answer without a scan; only the poller's due query and admin queries are ranges.
 * Calls block up to a timeout; a store that cannot be reached throws {@link StoreUnavailableException}.
 */
public final class MongoInstanceStore implements InstanceStore {

    public static final String COLLECTION = "workflow_instances";
    /** Writes per batch: well under the server's 100,000, and a batch of 500 small documents is far under 16 MB. */
    public static final int DEFAULT_MAX_BATCH = 500;
    /** A few batches on their way at once: the server works on one while the next fills; the pool holds 100. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 4;

    /** Tries of a create whose taken reference was let go before its holder was found; each such race is a finish. */
    private static final int REFERENCE_RACE_ATTEMPTS = 4;

    private static final List<String> FINISHED = List.of(WorkflowStatus.COMPLETE.name(), WorkflowStatus.TERMINATED.name(),
            WorkflowStatus.FAILED.name());

    private final InstanceCollection instances;
    private final InstanceDocuments documents;
    private final OutboxEntries outbox;
    private final InstanceUpdates updates;
    private final InDoubtWrites inDoubt = new InDoubtWrites();
    private final HistoryField history;
    private final InstanceQueries queries;

    /** The newest change events kept per instance unless said otherwise; the older ones are counted, not kept. */
    public static final int DEFAULT_HISTORY_LIMIT = 1_000;
    /** The longest one call waits for the database unless said otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private final GroupCommit group;
    private final LeaseChanges leases;

    public MongoInstanceStore(MongoDatabase database) {
        this(database, InstantSource.system());
    }

    public MongoInstanceStore(MongoDatabase database, InstantSource clock) {
        this(database, new BsonData(), DEFAULT_TIMEOUT, clock);
    }

    /**
     * @param data    how workflow data is written and read back
     * @param timeout the longest one call waits for the database
     * @param clock   dates the outbox entries, and tells which are old enough to relay
     */
    public MongoInstanceStore(MongoDatabase database, BsonData data, Duration timeout, InstantSource clock) {
        this(database, data, timeout, clock, DEFAULT_HISTORY_LIMIT);
    }

    /** As {@link #MongoInstanceStore(MongoDatabase, BsonData, Duration, InstantSource)}, keeping {@code historyLimit} events per instance. */
    public MongoInstanceStore(MongoDatabase database, BsonData data, Duration timeout, InstantSource clock, int historyLimit) {
        this(database, data, timeout, clock, historyLimit, DEFAULT_MAX_BATCH, DEFAULT_MAX_IN_FLIGHT);
    }

    /**
     * @param historyLimit the newest change events kept per instance
     * @param maxBatch     the most writes sent in one bulk write
     * @param maxInFlight  the most bulk writes on their way at once (each holds one pooled connection while it is)
     */
    public MongoInstanceStore(MongoDatabase database, BsonData data, Duration timeout, InstantSource clock, int historyLimit,
                              int maxBatch, int maxInFlight) {
        this.history = new HistoryField(historyLimit);
        this.instances = new InstanceCollection(Objects.requireNonNull(database, "database").getCollection(COLLECTION), timeout);
        this.group = new GroupCommit(database, COLLECTION, maxBatch, maxInFlight, timeout);
        this.documents = new InstanceDocuments(Objects.requireNonNull(data, "data"));
        this.outbox = new OutboxEntries(instances, documents, clock);
        this.updates = new InstanceUpdates(documents, outbox, history);
        this.queries = new InstanceQueries(instances, documents);
        this.leases = new LeaseChanges(instances, group);
    }

    /** Creates the indexes, idempotently: call at start. */
    public MongoInstanceStore createIndexes() {
        List<IndexModel> indexes = List.of(
                new IndexModel(Indexes.ascending(STATUS, NEXT_EXECUTION), new IndexOptions().name("status_nextExecution")),
                new IndexModel(Indexes.ascending(LEASE_UNTIL), new IndexOptions().name("leaseUntil")),
                new IndexModel(Indexes.ascending(CREATED_AT, ID), new IndexOptions().name("createdAt_id")),
                // One field "workflow + reference", present only with a reference: a sparse unique index on it is
                // honoured by MongoDB and the test server alike (the latter ignores partial filter expressions).
                new IndexModel(Indexes.ascending(REFERENCE_KEY), new IndexOptions().name("referenceKey").unique(true).sparse(true)),
                // Redundant on MongoDB, where _id alone finds the document; the in-process test server plans with
                // unique indexes only, and scans the collection for {_id, revision} without this one.
                new IndexModel(Indexes.ascending(ID, REVISION), new IndexOptions().name("id_revision").unique(true)),
                new IndexModel(Indexes.ascending(ID, CAS), new IndexOptions().name("id_cas").unique(true)),
                // Present only while an outbox entry may be in doubt: the relay's query reads this index, not the collection.
                new IndexModel(Indexes.ascending(OUTBOX_AT), new IndexOptions().name("outboxAt").sparse(true)));
        instances.all(c -> c.createIndexes(indexes));
        return this;
    }

    // ------------------------------------------------------------------ create, load, save

    @Override
    public CreateResult create(WorkflowInstance instance, List<WorkflowEvent> changes) {
        Objects.requireNonNull(instance, "instance");
        // A reference taken when the insert met it may be let go before its holder is looked up (a live auto-start
        // that finished in between): the create is then tried again, a few times, as the reference is free.
        return CompareAndSetLoop.run("create", instance.id(), REFERENCE_RACE_ATTEMPTS, () -> createOnce(instance, changes));
    }

    /** One insert: its result, or {@code null} when it met a reference that was let go before it could be told whose. */
    private CreateResult createOnce(WorkflowInstance instance, List<WorkflowEvent> changes) {
        String writeId = inDoubt.writeIdFor(instance.id(), -1, instance.revision());
        InstanceUpdates.CreateWrite write = updates.create(instance, changes, writeId);
        GroupCommit.Outcome outcome;
        try {
            outcome = group.write(new GroupCommit.Insert(write.document()));
        } catch (StoreUnavailableException e) {
            inDoubt.remember(instance.id(), -1, instance.revision(), writeId);
            throw e;
        }
        return switch (outcome) {
            case GroupCommit.Done done -> {
                inDoubt.forget(instance.id());
                write.onCreated().run();
                leases.created(instance);
                yield new CreateResult.Created(instance);
            }
            case GroupCommit.DuplicateKey duplicate -> duplicate(instance, writeId);
            case GroupCommit.Refused refused -> throw new StoreUnavailableException("MongoDB refused the create: " + refused.message(), null);
            case GroupCommit.Lost lost -> {
                inDoubt.remember(instance.id(), -1, instance.revision(), writeId);
                throw InstanceCollection.unavailable("create", lost.cause());
            }
        };
    }

    /**
     * A create met a duplicate key: its own earlier try whose answer was lost, a taken reference, or a taken id; or
     * ({@code null}) a reference that was taken when the insert met it and is free by now, since no instance holds it
     * and none has this id.
     */
    private CreateResult duplicate(WorkflowInstance instance, String writeId) {
        if (landedEarlier(instance.id(), writeId)) {
            inDoubt.forget(instance.id());
            return new CreateResult.Created(instance);
        }
        if (instance.reference() != null) {
            Optional<Document> taken = instances.first(c -> c.find(new Document(REFERENCE_KEY,
                    InstanceDocuments.referenceKey(instance))).projection(Projections.include(ID)).limit(1));
            if (taken.isPresent() && !taken.get().getString(ID).equals(instance.id())) {
                return new CreateResult.ReferenceTaken(taken.get().getString(ID));
            }
            if (taken.isEmpty() && instances.read(instance.id()).isEmpty()) return null;
        }
        throw new IllegalArgumentException("an instance with id " + instance.id() + " exists already");
    }

    @Override
    public Optional<WorkflowInstance> load(String instanceId) {
        return instances.read(instanceId).map(documents::instance);
    }

    @Override
    public Optional<WorkflowInstance> findByReference(WorkflowId workflow, String reference) {
        return instances.first(c -> c.find(new Document(REFERENCE_KEY, InstanceDocuments.referenceKey(workflow, reference)))
                        .projection(HistoryField.WITHOUT).limit(1))
                .map(documents::instance);
    }

    @Override
    public boolean save(WorkflowInstance instance, long expectedRevision, List<WorkflowEvent> changes) {
        String writeId = inDoubt.writeIdFor(instance.id(), expectedRevision, instance.revision());
        InstanceUpdates.SaveWrite write = updates.save(instance, expectedRevision, changes, writeId);
        GroupCommit.Outcome outcome;
        try {
            outcome = group.write(new GroupCommit.Update(write.instanceId(), write.filter(), write.update(),
                    stored -> writeId.equals(stored.getString(WRITE_ID))));
        } catch (StoreUnavailableException e) {
            inDoubt.remember(write.instanceId(), write.expectedRevision(), write.revision(), write.writeId());
            leases.forget(write.instanceId());
            throw e;
        }
        return switch (outcome) {
            case GroupCommit.Done done -> settle(instance, write, done.matched());
            case GroupCommit.Lost lost -> {
                inDoubt.remember(write.instanceId(), write.expectedRevision(), write.revision(), write.writeId());
                leases.forget(write.instanceId());
                throw InstanceCollection.unavailable("save", lost.cause());
            }
            case GroupCommit.DuplicateKey refused -> throw new StoreUnavailableException("MongoDB refused the save: " + refused.message(), null);
            case GroupCommit.Refused refused -> throw new StoreUnavailableException("MongoDB refused the save: " + refused.message(), null);
        };
    }

    /** The outcome of a save that was answered: a retry of a save whose answer was lost finds its own write there, saved, not stale. */
    private boolean settle(WorkflowInstance instance, InstanceUpdates.SaveWrite write, boolean matched) {
        boolean saved = matched || landedEarlier(write.instanceId(), write.writeId());
        // A save recognised as an earlier try of its own may have been followed by other writes: its count is not known.
        if (matched) leases.saved(instance, write.expectedRevision());
        else leases.forget(write.instanceId());
        inDoubt.forget(write.instanceId());
        if (saved) write.onSaved().run();
        else updates.forget(write.instanceId());
        return saved;
    }

    /** Whether the stored document was written by the write {@code writeId}: an earlier try whose answer was lost. */
    private boolean landedEarlier(String instanceId, String writeId) {
        if (!inDoubt.isInDoubt(instanceId, writeId)) return false;
        return instances.read(instanceId).map(d -> writeId.equals(d.getString(WRITE_ID))).orElse(false);
    }

    // ------------------------------------------------------------------ claims and leases

    @Override
    public List<WorkflowInstance> claimDue(String owner, Instant now, Instant leaseUntil, int limit) {
        List<WorkflowInstance> claimed = new ArrayList<>();
        Set<String> tried = new HashSet<>();
        // Each round claims from fresh candidates only; rounds are bounded too: the poller comes back for the rest.
        for (int round = 0; round < CompareAndSetLoop.MAX_ATTEMPTS && claimed.size() < limit; round++) {
            int want = limit - claimed.size();
            Bson due = new Document(STATUS, WorkflowStatus.RUNNABLE.name())
                    .append(NEXT_EXECUTION, new Document("$lte", Date.from(now)))
                    .append("$or", List.of(new Document(LEASE_UNTIL, null), new Document(LEASE_UNTIL, new Document("$lte", Date.from(now)))));
            int fetch = want + tried.size();
            List<Document> candidates = instances.all(c -> c.find(due)
                    .projection(Projections.include(ID, CAS))
                    .sort(Sorts.ascending(NEXT_EXECUTION, ID))
                    .limit(fetch));
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
        return CompareAndSetLoop.run("a claim", instanceId, () -> {
            Optional<Document> stored = instances.read(instanceId);
            if (stored.isEmpty()) return Optional.empty();
            WorkflowInstance current = documents.instance(stored.get());
            if (!current.isRunnableAt(now) || (current.lease() != null && current.lease().isHeldAt(now))) return Optional.empty();
            Optional<WorkflowInstance> claimed = casClaim(instanceId, stored.get().get(CAS), owner, leaseUntil);
            return claimed.isPresent() ? claimed : null;
        });
    }

    /** Takes the lease if the document is still at {@code cas}; empty when another write came first. */
    private Optional<WorkflowInstance> casClaim(String instanceId, Object cas, String owner, Instant leaseUntil) {
        Document update = InstanceUpdates.leaseUpdate(new Lease(owner, leaseUntil), true);
        Optional<Document> after = instances.first(c -> c.findOneAndUpdate(InstanceUpdates.casFilter(instanceId, cas), update,
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER).projection(HistoryField.WITHOUT)));
        Optional<WorkflowInstance> claimed = after.map(documents::instance);
        claimed.ifPresent(i -> outbox.claimed(instanceId, i.revision()));
        claimed.ifPresent(i -> leases.claimed(i, after.get().get(CAS)));
        return claimed;
    }

    @Override
    public boolean renewLease(String instanceId, String owner, long revision, Instant leaseUntil) {
        return changeLease("a lease renewal", instanceId, owner, revision, new Lease(owner, leaseUntil));
    }

    @Override
    public boolean releaseLease(String instanceId, String owner, long revision) {
        return changeLease("a lease release", instanceId, owner, revision, null);
    }

    /** Renews ({@code lease} given) or releases the lease, if {@code owner} still holds it at {@code revision}. */
    private boolean changeLease(String what, String instanceId, String owner, long revision, Lease lease) {
        // The lease fields change without a new revision: the next save must not trust what it remembers of them.
        updates.forget(instanceId);
        return leases.change(what, instanceId, owner, revision, lease);
    }

    // ------------------------------------------------------------------ admin

    @Override
    public List<WorkflowInstance> query(InstanceFilter query) {
        return queries.query(query);
    }

    @Override
    public Map<WorkflowStatus, Long> countByStatus(InstanceFilter query) {
        return queries.countByStatus(query);
    }

    @Override
    public Optional<HistoryPage> history(String instanceId, long afterRevision, int limit) {
        return history.page(instances, instanceId, afterRevision, limit);
    }

    @Override
    public long purgeFinishedBefore(Instant cutoff) {
        DeleteResult result = instances.one(c -> c.deleteMany(new Document(STATUS, new Document("$in", FINISHED))
                .append(COMPLETED_AT, new Document("$lt", Date.from(cutoff)))));
        return result.getDeletedCount();
    }

    /** The outbox field of these documents; for {@link MongoOutbox}. */
    OutboxEntries outbox() {
        return outbox;
    }

    /** The group commit of this store's writes; for tests that make batches on purpose. */
    GroupCommit groupCommit() {
        return group;
    }

    /** Changes the longest wait for the database; for tests that lose answers on purpose. */
    void timeout(Duration newTimeout) {
        instances.timeout(newTimeout);
        group.timeout(newTimeout);
    }
}
