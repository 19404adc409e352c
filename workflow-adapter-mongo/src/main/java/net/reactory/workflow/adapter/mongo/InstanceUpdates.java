package net.reactory.workflow.adapter.mongo;

import static net.reactory.workflow.adapter.mongo.InstanceDocuments.CAS;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.ID;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.LEASE_OWNER;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.LEASE_UNTIL;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.REVISION;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.WRITE_ID;

import java.util.List;
import java.util.Objects;

import org.bson.Document;
import org.bson.RawBsonDocument;

import net.reactory.workflow.domain.instance.Lease;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/**
 * What each write of an instance document is: the filter that fences it and the update it applies. Sending a write
 * and reading its outcome is {@link MongoInstanceStore}'s; building it here keeps the two apart, so that writes can
 * be sent one by one or many in one bulk write alike.
 */
final class InstanceUpdates {

    private final InstanceFields fields;
    private final OutboxEntries outbox;
    private final HistoryField history;
    private final LastWritten lastWritten = new LastWritten();

    InstanceUpdates(InstanceDocuments documents, OutboxEntries outbox, HistoryField history) {
        this.fields = new InstanceFields(Objects.requireNonNull(documents, "documents").data());
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.history = Objects.requireNonNull(history, "history");
    }

    /**
     * One save of an instance, fenced on {@code {_id, revision}}: it lands only on the revision it was computed from.
     *
     * @param onSaved to run once the save is known to have landed (the outbox forgets what it dropped)
     */
    record SaveWrite(String instanceId, long expectedRevision, long revision, String writeId,
                     RawBsonDocument filter, RawBsonDocument update, Runnable onSaved) {
    }

    /** A create: the whole new document, and what to remember once it landed. */
    record CreateWrite(RawBsonDocument document, Runnable onCreated) {
    }

    /** The whole new document of a create, with the start's events as its history, stamped with {@code writeId}. */
    CreateWrite create(WorkflowInstance instance, List<WorkflowEvent> changes, String writeId) {
        InstanceFields.Written fields = this.fields.write(instance);
        // The outbox's share (its entry and outboxAt, when it is on) comes as a map: few writes have one.
        Document outboxShare = new Document();
        Runnable outboxCreated = outbox.addToNew(instance, changes, outboxShare);
        BsonBytes out = new BsonBytes(fields.length() + 128 + 160 * changes.size());
        int document = out.start();
        out.string(N_ID, instance.id());
        fields.copyAllTo(out);
        out.int64(N_CAS, 0L);
        out.string(N_WRITE_ID, writeId);
        history.writeNew(out, changes);
        if (!outboxShare.isEmpty()) out.elements(outboxShare);
        out.end(document);
        return new CreateWrite(out.toRaw(), () -> {
            remember(instance, fields);
            outboxCreated.run();
        });
    }

    /**
     * What changed since the fields this process last wrote at {@code expectedRevision}, else every field: the elements
     * that differ byte for byte set anew, those the instance no longer has removed; then the outbox's share, and
     * {@code cas} counted up. The update is {@code $set}, {@code $inc}, {@code $unset}, the outbox's {@code $min} and
     * the history's {@code $push}.
     */
    SaveWrite save(WorkflowInstance instance, long expectedRevision, List<WorkflowEvent> changes, String writeId) {
        InstanceFields.Written fields = this.fields.write(instance);
        InstanceFields.Written before = lastWritten.at(instance.id(), expectedRevision);
        Document outboxSet = new Document();
        Document outboxUnset = new Document();
        Document outboxMin = new Document();
        Runnable outboxSaved = outbox.addTo(instance, expectedRevision, changes, outboxSet, outboxUnset, outboxMin);
        BsonBytes out = new BsonBytes(fields.length() + 128 + 160 * changes.size());
        int update = out.start();
        set(out, fields, before, outboxSet, writeId);
        inc(out, changes.size());
        unset(out, fields, before, outboxUnset);
        if (!outboxMin.isEmpty()) {
            int min = out.startDocument(N_MIN);
            out.elements(outboxMin);
            out.end(min);
        }
        history.writePush(out, changes);
        out.end(update);
        Runnable onSaved = () -> {
            outboxSaved.run();
            // Remembered fields stand for one revision: a save that does not count it up leaves nothing to trust.
            if (instance.revision() != expectedRevision) remember(instance, fields);
            else lastWritten.forget(instance.id());
        };
        return new SaveWrite(instance.id(), expectedRevision, instance.revision(), writeId, filter(instance.id(), expectedRevision),
                out.toRaw(), onSaved);
    }

    private static final BsonBytes.Name N_ID = BsonBytes.name(ID);
    private static final BsonBytes.Name N_REVISION = BsonBytes.name(REVISION);
    private static final BsonBytes.Name N_CAS = BsonBytes.name(CAS);
    private static final BsonBytes.Name N_WRITE_ID = BsonBytes.name(WRITE_ID);
    private static final BsonBytes.Name N_HISTORY_COUNT = BsonBytes.name(HistoryField.COUNT);
    private static final BsonBytes.Name N_SET = BsonBytes.name("$set");
    private static final BsonBytes.Name N_INC = BsonBytes.name("$inc");
    private static final BsonBytes.Name N_UNSET = BsonBytes.name("$unset");
    private static final BsonBytes.Name N_MIN = BsonBytes.name("$min");

    /** {@code $set}: the elements that differ byte for byte from the last write (all of them without one), the outbox's, the writeId. */
    private static void set(BsonBytes out, InstanceFields.Written fields, InstanceFields.Written before, Document outboxSet,
                            String writeId) {
        int set = out.startDocument(N_SET);
        for (int slot = 0; slot < InstanceFields.NAMES.length; slot++) {
            if (fields.has(slot) && (before == null || !fields.same(slot, before))) fields.copyTo(out, slot);
        }
        if (!outboxSet.isEmpty()) out.elements(outboxSet);
        out.string(N_WRITE_ID, writeId);
        out.end(set);
    }

    /** {@code $inc}: the write count, and the history's count by the entries this save adds. */
    private static void inc(BsonBytes out, int changes) {
        int inc = out.startDocument(N_INC);
        out.int64(N_CAS, 1L);
        if (changes > 0) out.int64(N_HISTORY_COUNT, changes);
        out.end(inc);
    }

    /** {@code $unset}: the fields the instance no longer has, and the outbox's; nothing when there are none. */
    private static void unset(BsonBytes out, InstanceFields.Written fields, InstanceFields.Written before, Document outboxUnset) {
        int unsetAt = out.position();
        int unset = out.startDocument(N_UNSET);
        int unsetBody = out.position();
        for (int slot = 0; slot < InstanceFields.NAMES.length; slot++) {
            if (fields.has(slot)) continue;
            // Without a last write to compare with, every optional field the instance lacks goes, as if it had been there.
            if (before != null ? before.has(slot) : InstanceFields.OPTIONAL[slot]) out.string(InstanceFields.SLOT_NAMES[slot], "");
        }
        if (!outboxUnset.isEmpty()) out.elements(outboxUnset);
        if (out.position() == unsetBody) out.truncate(unsetAt);
        else out.end(unset);
    }

    /** {@code {_id, revision}}: the whole key of the unique index that fences saves. */
    private static RawBsonDocument filter(String instanceId, long revision) {
        BsonBytes out = new BsonBytes(32 + instanceId.length());
        int filter = out.start();
        out.string(N_ID, instanceId);
        out.int64(N_REVISION, revision);
        out.end(filter);
        return out.toRaw();
    }

    /** A finished instance is not saved again by its run: nothing to remember. */
    private void remember(WorkflowInstance instance, InstanceFields.Written fields) {
        if (instance.isFinished()) lastWritten.forget(instance.id());
        else lastWritten.remember(instance.id(), instance.revision(), fields);
    }

    /** The document changed in a way the fields remembered do not show (a lease change), or its fate is unknown. */
    void forget(String instanceId) {
        lastWritten.forget(instanceId);
    }

    /** The filter of a compare-and-set: the document exactly as it was read, by its write count. */
    static Document casFilter(String instanceId, Object cas) {
        return new Document(ID, instanceId).append(CAS, cas);
    }

    /**
     * A lease change: {@code lease} taken, renewed, or (when null) released. A claim also counts the revision up,
     * so that a save computed under an earlier lease is stale.
     */
    static Document leaseUpdate(Lease lease, boolean claim) {
        Document set = new Document(LEASE_OWNER, lease == null ? null : lease.owner());
        InstanceDocuments.putInstant(set, LEASE_UNTIL, lease == null ? null : lease.until());
        Document inc = claim ? new Document(REVISION, 1L).append(CAS, 1L) : new Document(CAS, 1L);
        Document update = new Document("$set", set).append("$inc", inc);
        if (!set.containsKey(LEASE_UNTIL + "Ns")) update.append("$unset", new Document(LEASE_UNTIL + "Ns", ""));
        return update;
    }
}
