package net.reactory.workflow.adapter.mongo;

import static net.reactory.workflow.adapter.mongo.InstanceDocuments.ID;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.OUTBOX;

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
    /** Off until a {@link MongoOutbox} is made for the store: without one, nothing would ever drop the entries. */
    private volatile boolean enabled;

    OutboxEntries(InstanceCollection instances, InstanceDocuments documents, InstantSource clock) {
        this.instances = Objects.requireNonNull(instances, "instances");
        this.documents = Objects.requireNonNull(documents, "documents");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** From now on, saves write their events into the instance's outbox. */
    void enable() {
        enabled = true;
    }

    /**
     * Adds a save's share to its update: the transition's events as a new entry (when the outbox is on), and the
     * removal of the entries already acknowledged. Returns what to forget once the save has landed.
     */
    Runnable addTo(WorkflowInstance instance, List<WorkflowEvent> changes, Document set, Document unset) {
        if (enabled && !changes.isEmpty()) {
            set.put(entryPath(instance.revision()), new Document("at", new Date(clock.millis())).append("events", documents.events(changes)));
        }
        Map<Long, Long> acks = acknowledged.get(instance.id());
        if (acks == null) return NOTHING;
        Set<Long> published = new HashSet<>(acks.keySet());
        for (Long revision : published) {
            if (revision != instance.revision()) unset.put(entryPath(revision), "");
        }
        return () -> {
            published.forEach(acks::remove);
            acknowledged.computeIfPresent(instance.id(), (id, map) -> map.isEmpty() ? null : map);
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
            writes.add(new UpdateOneModel<>(new Document(ID, entry.getKey()), new Document("$unset", unset)));
            onSuccess.add(() -> {
                revisions.forEach(entry.getValue()::remove);
                acknowledged.computeIfPresent(entry.getKey(), (id, map) -> map.isEmpty() ? null : map);
            });
        }
        if (writes.isEmpty()) return 0;
        instances.one(c -> c.bulkWrite(writes));
        onSuccess.forEach(Runnable::run);
        return writes.size();
    }

    /** Entries written at least {@code age} ago and not yet dropped: events whose publication is in doubt. */
    List<MongoOutbox.PendingEvents> pending(Duration age, int limit) {
        List<Document> found = instances.all(c -> c.find(new Document(OUTBOX, new Document("$exists", true).append("$ne", new Document())))
                .projection(Projections.include(ID, OUTBOX)).limit(limit));
        Date cutoff = Date.from(clock.instant().minus(age));
        List<MongoOutbox.PendingEvents> pending = new ArrayList<>();
        for (Document d : found) {
            Document outbox = d.get(OUTBOX, Document.class);
            if (outbox == null) continue;
            for (Map.Entry<String, Object> entry : outbox.entrySet()) {
                if (!(entry.getValue() instanceof Document e) || e.getDate("at") == null || !e.getDate("at").before(cutoff)) continue;
                List<WorkflowEvent> events = new ArrayList<>();
                for (Document event : e.getList("events", Document.class, List.of())) events.add(documents.event(event));
                pending.add(new MongoOutbox.PendingEvents(d.getString(ID), Long.parseLong(entry.getKey().substring(1)), events));
            }
        }
        return pending;
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
