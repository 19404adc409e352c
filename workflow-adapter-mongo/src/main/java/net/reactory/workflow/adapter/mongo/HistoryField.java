package net.reactory.workflow.adapter.mongo;

import static net.reactory.workflow.adapter.mongo.InstanceDocuments.ID;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.bson.Document;
import org.bson.types.Binary;

import com.mongodb.client.model.Projections;

import net.reactory.workflow.application.port.out.HistoryEntry;
import net.reactory.workflow.application.port.out.HistoryPage;
import net.reactory.workflow.domain.instance.StepError;
import net.reactory.workflow.domain.instance.WorkflowEvent;

/**
 * The instance documents' history: {@code history: [entry, …]}, oldest first, each entry a binary of
 * {@link HistoryEntryBytes} (revision, time, type, kind, step, pointer, error, actor, via, detail), with
 * {@code historyCount} (entries ever written) and {@code historyFirst} (the revision of the first).
 * A create writes the start's entries into the new document; a save adds its entries with a {@code $push} of
 * {@code $each} and {@code $slice: -cap} in the update it already sends, so history costs no round trip and the array
 * never holds more than the cap. What the slice dropped is told by the count and the first revision.
 * Every read of an instance leaves the field out ({@link #WITHOUT}); only {@link #page} reads it.
 */
final class HistoryField {

    static final String HISTORY = "history";
    static final String COUNT = "historyCount";
    static final String FIRST = "historyFirst";
    /** The projection of every read that rebuilds an instance: the history stays in the database. */
    static final Document WITHOUT = new Document(HISTORY, 0);

    private final int cap;

    HistoryField(int cap) {
        if (cap < 0) throw new IllegalArgumentException("the history cap must not be negative: " + cap);
        this.cap = cap;
    }

    /** The start's entries, in the document a create inserts: the array, the count, the first revision. */
    void writeNew(BsonBytes out, List<WorkflowEvent> changes) {
        int from = Math.max(0, changes.size() - cap);
        int array = out.startArray(N_HISTORY);
        for (int i = from; i < changes.size(); i++) entry(out, BsonBytes.index(i - from), HistoryEntry.of(changes.get(i)));
        out.end(array);
        out.int64(N_COUNT, changes.size());
        if (!changes.isEmpty()) out.int64(N_FIRST, changes.get(0).revision());
    }

    /**
     * A save's entries, in the update it sends: {@code $push} with {@code $each}/{@code $slice}; the count is raised by
     * the update's {@code $inc} ({@link #COUNT}, by {@code changes.size()}). Nothing when there are no changes.
     */
    void writePush(BsonBytes out, List<WorkflowEvent> changes) {
        // A cap of 0 keeps no history: the count still says how many events there were.
        if (changes.isEmpty() || cap == 0) return;
        int push = out.startDocument(N_PUSH);
        int field = out.startDocument(N_HISTORY);
        int each = out.startArray(N_EACH);
        for (int i = 0; i < changes.size(); i++) entry(out, BsonBytes.index(i), HistoryEntry.of(changes.get(i)));
        out.end(each);
        out.int32(N_SLICE, -cap);
        out.end(field);
        out.end(push);
    }

    /** The history page of one instance, read on its own; empty for an unknown instance. */
    Optional<HistoryPage> page(InstanceCollection instances, String instanceId, long afterRevision, int limit) {
        Optional<Document> found = instances.first(c -> c.find(new Document(ID, instanceId))
                .projection(Projections.include(HISTORY, COUNT, FIRST)).limit(1));
        // Kept none, dropped none: with no history there is nothing to summarise either, as in the memory store.
        if (cap == 0) return found.map(d -> new HistoryPage(List.of(), null, HistoryPage.Dropped.NONE));
        return found.map(d -> page(d, afterRevision, limit));
    }

    /** The page after {@code afterRevision}: only its own entries are decoded, the ones before it only for their revision. */
    private static HistoryPage page(Document d, long afterRevision, int limit) {
        List<?> kept = d.getList(HISTORY, Object.class, List.of());
        List<HistoryEntry> out = new ArrayList<>(Math.min(limit, kept.size()));
        int i = 0;
        while (i < kept.size() && revision(kept.get(i)) <= afterRevision) i++;
        long last = -1;
        for (; i < kept.size(); i++) {
            long r = revision(kept.get(i));
            if (out.size() >= limit && r != last) break;
            out.add(entry(kept.get(i)));
            last = r;
        }
        Long next = i < kept.size() ? last : null;
        long count = d.get(COUNT) instanceof Number n ? n.longValue() : kept.size();
        long dropped = Math.max(0, count - kept.size());
        HistoryPage.Dropped summary = dropped == 0 ? HistoryPage.Dropped.NONE : new HistoryPage.Dropped(dropped,
                d.get(FIRST) instanceof Number f ? f.longValue() : 0, kept.isEmpty() ? 0 : revision(kept.get(0)));
        return new HistoryPage(out, next, summary);
    }

    /** A kept entry: a binary ({@link HistoryEntryBytes}), or a sub-document as written before them. */
    private static HistoryEntry entry(Object kept) {
        return switch (kept) {
            case Binary b -> HistoryEntryBytes.decode(b.getData());
            case Document old -> entry(old);
            default -> throw unknownForm(kept);
        };
    }

    private static long revision(Object kept) {
        return switch (kept) {
            case Binary b -> HistoryEntryBytes.revision(b.getData());
            case Document old -> revision(old);
            default -> throw unknownForm(kept);
        };
    }

    private static IllegalStateException unknownForm(Object kept) {
        return new IllegalStateException("history entry of an unknown form: " + kept.getClass().getSimpleName());
    }

    private static final BsonBytes.Name N_HISTORY = BsonBytes.name(HISTORY);
    private static final BsonBytes.Name N_COUNT = BsonBytes.name(COUNT);
    private static final BsonBytes.Name N_FIRST = BsonBytes.name(FIRST);
    private static final BsonBytes.Name N_PUSH = BsonBytes.name("$push");
    private static final BsonBytes.Name N_EACH = BsonBytes.name("$each");
    private static final BsonBytes.Name N_SLICE = BsonBytes.name("$slice");

    private static void entry(BsonBytes out, String name, HistoryEntry e) {
        out.value(name, new Binary(HistoryEntryBytes.BINARY_SUBTYPE, HistoryEntryBytes.encode(e)));
    }

    /** An entry as written before {@link HistoryEntryBytes}: a sub-document. */
    private static HistoryEntry entry(Document d) {
        Document error = d.get("error", Document.class);
        StepError stepError = error == null ? null : new StepError(error.getString("step"), error.getString("type"),
                error.getString("message"), error.get("attempt") instanceof Number n ? n.intValue() : 0,
                InstanceDocuments.getInstant(error, "at"));
        Integer pointer = d.get("pointer") instanceof Number n ? n.intValue() : null;
        return new HistoryEntry(revision(d), InstanceDocuments.getInstant(d, "at"), d.getString("type"), d.getString("kind"),
                d.getString("step"), pointer, stepError, d.getString("actor"), d.getString("via"), d.getString("detail"));
    }

    private static long revision(Document d) {
        return ((Number) d.get("r")).longValue();
    }
}
