package net.reactory.workflow.adapter.mongo;

import static net.reactory.workflow.adapter.mongo.InstanceDocuments.CAS;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.ID;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.INSTANTS;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.LEASE_OWNER;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.LEASE_UNTIL;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.REFERENCE;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.REFERENCE_KEY;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.REVISION;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.WRITE_ID;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.bson.Document;

import com.mongodb.client.model.UpdateOneModel;

import net.reactory.workflow.domain.instance.Lease;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/**
 * What each write of an instance document is: the filter that fences it and the update it applies. Sending a write
 * and reading its outcome is {@link MongoInstanceStore}'s; building it here keeps the two apart, so that writes can
 * be sent one by one or many in one bulk write alike.
 */
final class InstanceUpdates {

    private final InstanceDocuments documents;
    private final OutboxEntries outbox;
    private final HistoryField history;
    private final LastWritten lastWritten = new LastWritten();

    InstanceUpdates(InstanceDocuments documents, OutboxEntries outbox, HistoryField history) {
        this.documents = Objects.requireNonNull(documents, "documents");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.history = Objects.requireNonNull(history, "history");
    }

    /**
     * One save of an instance, fenced on {@code {_id, revision}}: it lands only on the revision it was computed from.
     *
     * @param onSaved to run once the save is known to have landed (the outbox forgets what it dropped)
     */
    record SaveWrite(String instanceId, long expectedRevision, long revision, String writeId,
                     Document filter, Document update, Runnable onSaved) {

        /** The same write as one model of a bulk write. */
        UpdateOneModel<Document> model() {
            return new UpdateOneModel<>(filter, update);
        }
    }

    /** A create: the whole new document, and what to remember once it landed. */
    record CreateWrite(Document document, Runnable onCreated) {
    }

    /** The whole new document of a create, with the start's events as its history, stamped with {@code writeId}. */
    CreateWrite create(WorkflowInstance instance, List<WorkflowEvent> changes, String writeId) {
        Document fields = documents.fields(instance);
        Document document = documents.newDocument(instance.id(), fields).append(WRITE_ID, writeId);
        history.addToNew(document, changes);
        Runnable outboxCreated = outbox.addToNew(instance, changes, document);
        return new CreateWrite(document, () -> {
            remember(instance, fields);
            outboxCreated.run();
        });
    }

    /**
     * What changed since the fields this process last wrote at {@code expectedRevision}, else every field: set anew,
     * those the instance no longer has removed; then the outbox's share, and {@code cas} counted up. The update is
     * {@code $set}, {@code $unset}, {@code $inc} and the outbox's {@code $min}: room for one more operator (a {@code $push}) beside them.
     */
    SaveWrite save(WorkflowInstance instance, long expectedRevision, List<WorkflowEvent> changes, String writeId) {
        Document fields = documents.fields(instance);
        Document before = lastWritten.at(instance.id(), expectedRevision);
        Document set = new Document();
        Document unset = new Document();
        if (before != null) {
            for (Map.Entry<String, Object> field : fields.entrySet()) {
                if (!before.containsKey(field.getKey()) || !Objects.equals(before.get(field.getKey()), field.getValue())) {
                    set.put(field.getKey(), field.getValue());
                }
            }
            for (String name : before.keySet()) {
                if (!fields.containsKey(name)) unset.put(name, "");
            }
        } else {
            set.putAll(fields);
            for (String name : INSTANTS) {
                if (!set.containsKey(name + "Ns")) unset.put(name + "Ns", "");
            }
            if (instance.reference() == null) {
                unset.put(REFERENCE, "");
                unset.put(REFERENCE_KEY, "");
            }
        }
        Document min = new Document();
        Runnable outboxSaved = outbox.addTo(instance, expectedRevision, changes, set, unset, min);
        set.put(WRITE_ID, writeId);
        Document update = new Document("$set", set).append("$inc", new Document(CAS, 1L));
        if (!unset.isEmpty()) update.append("$unset", unset);
        if (!min.isEmpty()) update.append("$min", min);
        history.addToUpdate(update, changes);
        Document filter = new Document(ID, instance.id()).append(REVISION, expectedRevision);
        Runnable onSaved = () -> {
            outboxSaved.run();
            // Remembered fields stand for one revision: a save that does not count it up leaves nothing to trust.
            if (instance.revision() != expectedRevision) remember(instance, fields);
            else lastWritten.forget(instance.id());
        };
        return new SaveWrite(instance.id(), expectedRevision, instance.revision(), writeId, filter, update, onSaved);
    }

    /** A finished instance is not saved again by its run: nothing to remember. */
    private void remember(WorkflowInstance instance, Document fields) {
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
