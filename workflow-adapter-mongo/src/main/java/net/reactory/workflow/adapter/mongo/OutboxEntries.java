package net.reactory.workflow.adapter.mongo;

import static net.reactory.workflow.adapter.mongo.InstanceDocuments.CAS;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.ID;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.OUTBOX;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.OUTBOX_AT;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.TRACE_CONTEXT;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.bson.Document;

import com.mongodb.client.model.Projections;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.WriteModel;

import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/**
 * The {@code outbox} field of the instance documents, {@code {r<revision>: {at, events}}}: what a save puts there and
 * drops from there, which entries this process knows were published, and the reads and writes of the relay. The
 * schedule and the publishing are {@link MongoOutbox}'s.
 */
final class OutboxEntries {

    private static final Runnable NOTHING = () -> { };

    private final InstanceCollection instances;
    private final InstanceDocuments documents;
    private final InstantSource clock;
    /**
     * Entries this process knows were published: instance id to revisions, each with when it was acknowledged, in
     * {@link System#nanoTime()}: only the age of an acknowledgement in this process matters, never a date.
     */
    private final Map<String, Map<Long, Long>> acknowledged = new ConcurrentHashMap<>();
    /**
     * The entries still in the documents of instances this process created, by revision: when a write drops the last
     * of them it drops {@code outboxAt} too, so the relay never visits an instance whose events all went out. An
     * instance this process did not create may hold entries it never saw: its {@code outboxAt} is left to the relay.
     * So may one it created once another process wrote it (a takeover): the tracking holds only while every revision
     * of the document since the create is this process's own write (its saves and claims), and is dropped otherwise.
     */
    private final Map<String, Tracked> writtenHere = new ConcurrentHashMap<>();
    /** Off until a {@link MongoOutbox} is made for the store: without one, nothing would ever drop the entries. */
    private volatile boolean enabled;

    private static final int MAX_TRACKED = 100_000;

    /** The entries of one instance's document, as far as this process wrote them; whether the instance finished. */
    private static final class Tracked {
        final Set<Long> revisions = ConcurrentHashMap.newKeySet();
        volatile long revision;
        volatile boolean finished;
    }

    /**
     * This process claimed the instance, which counted its revision up to {@code revision}: the tracking goes on if the
     * document was at the revision this process last wrote, else another process wrote it in between (its entries
     * unknown here) and the tracking is dropped, leaving {@code outboxAt} to the relay.
     */
    void claimed(String instanceId, long revision) {
        Tracked tracked = writtenHere.get(instanceId);
        if (tracked == null) return;
        if (tracked.revision == revision - 1) tracked.revision = revision;
        else writtenHere.remove(instanceId, tracked);
    }

    /** One document with entries in doubt: its write count when read, its old entries, and the date of the youngest left. */
    record InDoubt(String instanceId, Object cas, List<MongoOutbox.PendingEvents> entries, Date remainingSince) {
    }

    OutboxEntries(InstanceCollection instances, InstanceDocuments documents, InstantSource clock) {
        this.instances = Objects.requireNonNull(instances, "instances");
        this.documents = Objects.requireNonNull(documents, "documents");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** From now on, saves write their events into the instance's outbox. */
    void enable() {
        enabled = true;
    }

    /** An instance this process just created: its document has no entries yet. */
    void created(String instanceId, long revision) {
        if (!enabled) return;
        if (writtenHere.size() >= MAX_TRACKED) writtenHere.clear();
        Tracked tracked = new Tracked();
        tracked.revision = revision;
        writtenHere.put(instanceId, tracked);
    }

    /**
     * A create's share, as {@link #addTo} is a save's: the start's events ({@code started} among them) as the new
     * document's first entry, written by the same insert, so that no lifecycle event depends on this process
     * surviving until it publishes them; the relay finds the entry through {@code outboxAt} if nobody acknowledges it.
     * Returns what to remember once the create has landed.
     */
    Runnable addToNew(WorkflowInstance instance, List<WorkflowEvent> changes, Document document) {
        if (!enabled || changes.isEmpty()) return () -> created(instance.id(), instance.revision());
        Date at = Date.from(clock.instant());
        document.put(OUTBOX, new Document("r" + instance.revision(), new Document("at", at).append("events", documents.events(changes))));
        document.put(OUTBOX_AT, at);
        return () -> {
            created(instance.id(), instance.revision());
            Tracked tracked = writtenHere.get(instance.id());
            if (tracked != null) tracked.revisions.add(instance.revision());
        };
    }

    /**
     * Adds a save's share to its update: the transition's events as a new entry (when the outbox is on) with
     * {@code outboxAt} kept at the oldest entry ({@code $min}), and the removal of the entries already acknowledged,
     * with {@code outboxAt} when they are the last. Returns what to forget once the save has landed.
     */
    Runnable addTo(WorkflowInstance instance, long expectedRevision, List<WorkflowEvent> changes, Document set, Document unset, Document min) {
        boolean adds = enabled && !changes.isEmpty();
        if (adds) {
            Date at = Date.from(clock.instant());
            set.put(entryPath(instance.revision()), new Document("at", at).append("events", documents.events(changes)));
            min.put(OUTBOX_AT, at);
        }
        Tracked seen = writtenHere.get(instance.id());
        if (seen != null && seen.revision != expectedRevision) {
            // Written elsewhere since this process's last write: it may hold entries not tracked here.
            writtenHere.remove(instance.id(), seen);
            seen = null;
        }
        Tracked tracked = seen;
        Map<Long, Long> acks = acknowledged.get(instance.id());
        Set<Long> published = acks == null ? new HashSet<>() : new HashSet<>(acks.keySet());
        published.remove(instance.revision());
        for (Long revision : published) unset.put(entryPath(revision), "");
        if (!adds && tracked != null && !tracked.revisions.isEmpty() && published.containsAll(tracked.revisions)) unset.put(OUTBOX_AT, "");
        if (acks == null && tracked == null) return NOTHING;
        return () -> {
            if (acks != null) {
                published.forEach(acks::remove);
                acknowledged.computeIfPresent(instance.id(), (id, map) -> map.isEmpty() ? null : map);
            }
            if (tracked != null) {
                tracked.revisions.removeAll(published);
                if (adds) tracked.revisions.add(instance.revision());
                tracked.revision = instance.revision();
                tracked.finished = instance.isFinished();
                if (tracked.finished && tracked.revisions.isEmpty()) writtenHere.remove(instance.id());
            }
        };
    }

    /**
     * Records that the events were published: their entries are dropped by the instance's next save (no extra round
     * trip), or by {@link #flushAcknowledged} for instances that are not saved again.
     */
    void acknowledge(List<WorkflowEvent> events) {
        long now = System.nanoTime();
        for (WorkflowEvent e : events) {
            acknowledged.computeIfAbsent(e.instanceId(), id -> new ConcurrentHashMap<>()).put(e.revision(), now);
        }
    }

    /** Drops, in one bulk write, the entries acknowledged at least {@code age} ago; returns how many instances. */
    int flushAcknowledged(Duration age) {
        long cutoff = System.nanoTime() - age.toNanos();
        List<WriteModel<Document>> writes = new ArrayList<>();
        List<Runnable> onSuccess = new ArrayList<>();
        for (Map.Entry<String, Map<Long, Long>> entry : acknowledged.entrySet()) {
            Document unset = new Document();
            List<Long> revisions = new ArrayList<>();
            entry.getValue().forEach((revision, at) -> {
                if (at - cutoff <= 0) {
                    unset.put(entryPath(revision), "");
                    revisions.add(revision);
                }
            });
            if (unset.isEmpty()) continue;
            Tracked tracked = writtenHere.get(entry.getKey());
            Document filter = new Document(ID, entry.getKey());
            if (tracked != null && !tracked.revisions.isEmpty() && revisions.containsAll(tracked.revisions)) {
                // The last entries: outboxAt goes too, on the revision they were seen at only, for a save since may
                // have added an entry. Such a save dropped these entries itself: it unsets every acknowledged one.
                filter.append(InstanceDocuments.REVISION, tracked.revision);
                unset.put(OUTBOX_AT, "");
            }
            writes.add(new UpdateOneModel<>(filter, new Document("$unset", unset)));
            onSuccess.add(() -> {
                revisions.forEach(entry.getValue()::remove);
                acknowledged.computeIfPresent(entry.getKey(), (id, map) -> map.isEmpty() ? null : map);
                if (tracked != null) {
                    revisions.forEach(tracked.revisions::remove);
                    if (tracked.finished && tracked.revisions.isEmpty()) writtenHere.remove(entry.getKey());
                }
            });
        }
        if (writes.isEmpty()) return 0;
        instances.one(c -> c.bulkWrite(writes));
        onSuccess.forEach(Runnable::run);
        return writes.size();
    }

    /** Entries written at least {@code age} ago and not yet dropped: events whose publication is in doubt. */
    List<MongoOutbox.PendingEvents> pending(Duration age, int limit) {
        List<MongoOutbox.PendingEvents> pending = new ArrayList<>();
        for (InDoubt doc : inDoubt(age, limit)) pending.addAll(doc.entries());
        return pending;
    }

    /**
     * Documents whose {@code outboxAt} is at least {@code age} old (an index range on MongoDB; the in-process test
     * server scans, having no secondary indexes), with their entries of that age. Each entry gets the document's
     * trace context rather than a copy of its own: the instance's context is set at its start and every save writes it
     * as it is, so the document's is the one the entry's events were raised under, and saves pay nothing for it.
     */
    List<InDoubt> inDoubt(Duration age, int limit) {
        Date cutoff = Date.from(clock.instant().minus(age));
        List<Document> found = instances.all(c -> c.find(new Document(OUTBOX_AT, new Document("$lte", cutoff)))
                .projection(Projections.include(ID, CAS, OUTBOX, TRACE_CONTEXT)).limit(limit));
        List<InDoubt> docs = new ArrayList<>();
        for (Document d : found) {
            Document outbox = d.get(OUTBOX, Document.class);
            Map<String, String> traceContext = InstanceDocuments.traceContext(d);
            List<MongoOutbox.PendingEvents> old = new ArrayList<>();
            Date remaining = null;
            if (outbox != null) {
                for (Map.Entry<String, Object> entry : outbox.entrySet()) {
                    if (!(entry.getValue() instanceof Document e) || e.getDate("at") == null) continue;
                    if (!e.getDate("at").before(cutoff)) {
                        if (remaining == null || e.getDate("at").before(remaining)) remaining = e.getDate("at");
                        continue;
                    }
                    List<WorkflowEvent> events = new ArrayList<>();
                    for (Document event : e.getList("events", Document.class, List.of())) events.add(documents.event(event));
                    old.add(new MongoOutbox.PendingEvents(d.getString(ID), Long.parseLong(entry.getKey().substring(1)), events, traceContext));
                }
            }
            docs.add(new InDoubt(d.getString(ID), d.get(CAS), old, remaining));
        }
        return docs;
    }

    /**
     * The relay published a document's old entries (and dropped them): {@code outboxAt} moves to its youngest entry
     * left, or goes, unless the document was written since it was read (then the next relay looks again).
     */
    void relayed(InDoubt doc) {
        Document update = doc.remainingSince() == null ? new Document("$unset", new Document(OUTBOX_AT, ""))
                : new Document("$set", new Document(OUTBOX_AT, doc.remainingSince()));
        instances.one(c -> c.updateOne(InstanceUpdates.casFilter(doc.instanceId(), doc.cas()), update));
    }

    /** Drops one entry once its events are published. */
    void markPublished(MongoOutbox.PendingEvents pending) {
        instances.one(c -> c.updateOne(new Document(ID, pending.instanceId()),
                new Document("$unset", new Document(entryPath(pending.revision()), ""))));
    }

    /** The dotted path of one revision's entry. */
    private static String entryPath(long revision) {
        return OUTBOX + ".r" + revision;
    }
}
