package net.reactory.workflow.adapter.mongo;

import static net.reactory.workflow.adapter.mongo.InstanceDocuments.CREATED_AT;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.ID;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.REFERENCE;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.STATUS;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.WORKFLOW;

import java.util.ArrayList;
import java.util.Date;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.bson.conversions.Bson;

import com.mongodb.client.model.Sorts;

import net.reactory.workflow.application.port.in.InstanceFilter;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/**
 * The admin reads of {@code workflow_instances}: lists and counts. Lists are ordered by {@code (createdAt, _id)}, which
 * an index covers, and continue after a cursor with a range on those two fields, so the millionth page costs what the
 * first does. The free-text filter over data is checked here, on the decoded instances, a batch at a time.
 */
final class InstanceQueries {

    /** Instances read per round trip while a free-text filter looks for matches. */
    private static final int TEXT_BATCH = 500;

    private final InstanceCollection instances;
    private final InstanceDocuments documents;

    InstanceQueries(InstanceCollection instances, InstanceDocuments documents) {
        this.instances = instances;
        this.documents = documents;
    }

    List<WorkflowInstance> query(InstanceFilter query) {
        Bson sort = query.newestFirst() ? Sorts.descending(CREATED_AT, ID) : Sorts.ascending(CREATED_AT, ID);
        if (query.text() == null) {
            Document filter = filter(query, query.after());
            return instances.all(c -> c.find(filter).projection(HistoryField.WITHOUT).sort(sort).skip(query.offset()).limit(query.limit()))
                    .stream().map(documents::instance).toList();
        }
        List<WorkflowInstance> found = new ArrayList<>();
        int skip = query.offset();
        InstanceFilter.Cursor from = query.after();
        while (found.size() < query.limit()) {
            Document filter = filter(query, from);
            List<Document> batch = instances.all(c -> c.find(filter).projection(HistoryField.WITHOUT).sort(sort).limit(TEXT_BATCH));
            for (Document d : batch) {
                WorkflowInstance i = documents.instance(d);
                from = InstanceFilter.Cursor.of(i);
                if (!query.matches(i)) continue;
                if (skip > 0) {
                    skip--;
                    continue;
                }
                found.add(i);
                if (found.size() >= query.limit()) break;
            }
            if (batch.size() < TEXT_BATCH) break;
        }
        return found;
    }

    Map<WorkflowStatus, Long> countByStatus(InstanceFilter query) {
        Map<WorkflowStatus, Long> counts = new EnumMap<>(WorkflowStatus.class);
        InstanceFilter any = query.withStatus(null);
        if (any.text() == null) {
            for (WorkflowStatus status : WorkflowStatus.values()) {
                Document filter = filter(any.withStatus(status), null);
                long n = instances.one(c -> c.countDocuments(filter));
                if (n > 0) counts.put(status, n);
            }
            return counts;
        }
        InstanceFilter.Cursor from = null;
        while (true) {
            Document filter = filter(any, from);
            List<Document> batch = instances.all(c -> c.find(filter).projection(HistoryField.WITHOUT)
                    .sort(Sorts.ascending(CREATED_AT, ID)).limit(TEXT_BATCH));
            for (Document d : batch) {
                WorkflowInstance i = documents.instance(d);
                from = InstanceFilter.Cursor.of(i);
                if (any.matches(i)) counts.merge(i.status(), 1L, Long::sum);
            }
            if (batch.size() < TEXT_BATCH) return counts;
        }
    }

    /** The query's indexed filters, and the range after {@code after} in the query's order. */
    private static Document filter(InstanceFilter query, InstanceFilter.Cursor after) {
        List<Document> and = new ArrayList<>();
        if (query.status() != null) and.add(new Document(STATUS, query.status().name()));
        if (query.workflow() != null) and.add(new Document(WORKFLOW, query.workflow().toString()));
        if (query.version() != null) and.add(new Document("definition.version", query.version().toString()));
        if (query.reference() != null) and.add(new Document(REFERENCE, query.reference()));
        if (query.createdFrom() != null) and.add(new Document(CREATED_AT, new Document("$gte", Date.from(query.createdFrom()))));
        if (query.createdTo() != null) and.add(new Document(CREATED_AT, new Document("$lt", Date.from(query.createdTo()))));
        if (after != null) {
            String beyond = query.newestFirst() ? "$lt" : "$gt";
            Date at = Date.from(after.createdAt());
            and.add(new Document("$or", List.of(new Document(CREATED_AT, new Document(beyond, at)),
                    new Document(CREATED_AT, at).append(ID, new Document(beyond, after.id())))));
        }
        if (and.isEmpty()) return new Document();
        return and.size() == 1 ? and.get(0) : new Document("$and", and);
    }
}
