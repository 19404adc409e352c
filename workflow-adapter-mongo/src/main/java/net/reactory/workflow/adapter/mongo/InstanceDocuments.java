package net.reactory.workflow.adapter.mongo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.bson.Document;

import net.reactory.workflow.domain.definition.DefinitionKey;
import net.reactory.workflow.domain.instance.ExecutionPointer;
import net.reactory.workflow.domain.instance.Lease;
import net.reactory.workflow.domain.definition.SemanticVersion;
import net.reactory.workflow.domain.instance.StepError;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.definition.WorkflowId;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/**
 * An instance as a readable document in {@code workflow_instances}:
 * <pre>
 * { _id, schema: 1, definition: {nameSpace, name, version: "1.0.0"}, workflow: "nameSpace.name", status,
 *   data, dataType?, pointers: [...], nextPointerId, nextExecution, revision, cas, reference?,
 *   createdAt, updatedAt, completedAt, leaseOwner, leaseUntil, errors: [...], outbox: { r7: {at, events} }, outboxAt?,
 *   referenceKey?, writeId, traceContext?: {traceparent, tracestate?} }
 * </pre>
 * Times are BSON dates (milliseconds, so that range queries work); a sub-millisecond remainder is kept in
 * a sibling {@code <name>Ns} field, so every instant comes back exactly. {@code cas} counts every write,
 * lease renewals included, and fences lease changes; {@code revision} fences saves.
 */
final class InstanceDocuments {

    static final int SCHEMA_VERSION = 1;

    static final String ID = "_id";
    static final String SCHEMA = "schema";
    static final String WORKFLOW = "workflow";
    static final String STATUS = "status";
    static final String NEXT_EXECUTION = "nextExecution";
    static final String REVISION = "revision";
    static final String CAS = "cas";
    static final String REFERENCE = "reference";
    static final String REFERENCE_KEY = "referenceKey";
    static final String CREATED_AT = "createdAt";
    static final String COMPLETED_AT = "completedAt";
    static final String LEASE_OWNER = "leaseOwner";
    static final String LEASE_UNTIL = "leaseUntil";
    static final String OUTBOX = "outbox";
    /**
     * When the oldest outbox entry that may still be there was written: set with an entry ({@code $min}), dropped with
     * the last one. The relay looks for entries in doubt through this field's sparse index, not by reading every document.
     */
    static final String OUTBOX_AT = "outboxAt";
    static final String WRITE_ID = "writeId";
    static final String TRACE_CONTEXT = "traceContext";

    /** Top-level instants, whose sub-millisecond remainders live in {@code <name>Ns}. */
    static final List<String> INSTANTS = List.of(NEXT_EXECUTION, CREATED_AT, "updatedAt", COMPLETED_AT, LEASE_UNTIL);

    private final BsonData data;

    InstanceDocuments(BsonData data) {
        this.data = data;
    }

    /** How workflow data is written and read back. */
    BsonData data() {
        return data;
    }

    WorkflowInstance instance(Document d) {
        Document def = d.get("definition", Document.class);
        DefinitionKey key = new DefinitionKey(new WorkflowId(def.getString("nameSpace"), def.getString("name")),
                SemanticVersion.parse(def.getString("version")));
        List<ExecutionPointer> pointers = new ArrayList<>();
        for (Document p : d.getList("pointers", Document.class, List.of())) pointers.add(pointer(p));
        List<StepError> errors = new ArrayList<>();
        for (Document e : d.getList("errors", Document.class, List.of())) errors.add(error(e));
        String leaseOwner = d.getString(LEASE_OWNER);
        Instant leaseUntil = getInstant(d, LEASE_UNTIL);
        Lease lease = leaseOwner == null || leaseUntil == null ? null : new Lease(leaseOwner, leaseUntil);
        return new WorkflowInstance(d.getString(ID), key, WorkflowStatus.valueOf(d.getString(STATUS)),
                data.decode(d.get("data"), d.getString("dataType")), pointers, number(d.get("nextPointerId")).intValue(),
                getInstant(d, NEXT_EXECUTION), number(d.get(REVISION)).longValue(), d.getString(REFERENCE),
                getInstant(d, CREATED_AT), getInstant(d, "updatedAt"), getInstant(d, COMPLETED_AT), lease, errors, traceContext(d));
    }

    /** The {@code traceContext} sub-document of an instance or an event, as header name to value; empty when absent. */
    static Map<String, String> traceContext(Document d) {
        Document context = d.get(TRACE_CONTEXT, Document.class);
        if (context == null || context.isEmpty()) return Map.of();
        Map<String, String> out = new java.util.HashMap<>(context.size());
        for (Map.Entry<String, Object> e : context.entrySet()) {
            if (e.getValue() instanceof String value) out.put(e.getKey(), value);
        }
        return out;
    }

    /** Unique per workflow id and reference: {@code nameSpace.name} and the reference, joined by a unit separator. */
    static String referenceKey(WorkflowInstance i) {
        return referenceKey(i.definition().id(), i.reference());
    }

    static String referenceKey(WorkflowId workflow, String reference) {
        return workflow + "\u001f" + reference;
    }

    private Object getTyped(Document d, String name) {
        return d.containsKey(name) ? data.decode(d.get(name), d.getString(name + "Type")) : null;
    }

    private ExecutionPointer pointer(Document d) {
        Document w = d.get("waitingFor", Document.class);
        ExecutionPointer.EventWait wait = w == null ? null
                : new ExecutionPointer.EventWait(w.getString("name"), w.getString("key"), getInstant(w, "effectiveDate"));
        Document j = d.get("join", Document.class);
        ExecutionPointer.Join join = null;
        if (j != null) {
            List<Object> pending = new ArrayList<>();
            for (Document v : j.getList("pending", Document.class, List.of())) pending.add(getTyped(v, "value"));
            join = new ExecutionPointer.Join(pending, getTyped(j, "state"), ids(j.getList("owed", Object.class, List.of())));
        }
        Document c = d.get("compensation", Document.class);
        ExecutionPointer.Compensation compensation = null;
        if (c != null) {
            compensation = new ExecutionPointer.Compensation(ids(c.getList("owed", Object.class, List.of())), c.getBoolean("running", false));
        }
        Object scope = d.get("scope");
        return new ExecutionPointer(number(d.get("id")).intValue(), number(d.get("stepId")).intValue(),
                number(d.get("attempt")).intValue(), getInstant(d, "sleepUntil"),
                data.decode(d.get("state"), d.getString("stateType")), wait,
                scope == null ? ExecutionPointer.NO_SCOPE : number(scope).intValue(), getTyped(d, "item"), join, compensation);
    }

    private static List<Integer> ids(List<Object> stored) {
        List<Integer> ids = new ArrayList<>(stored.size());
        for (Object id : stored) ids.add(number(id).intValue());
        return ids;
    }

    private static StepError error(Document d) {
        return new StepError(d.getString("step"), d.getString("type"), d.getString("message"),
                number(d.get("attempt")).intValue(), getInstant(d, "at"));
    }

    /** Events of a transition, for the outbox: each as its record's fields plus {@code type}. */
    List<Document> events(List<WorkflowEvent> events) {
        List<Document> out = new ArrayList<>(events.size());
        for (WorkflowEvent e : events) {
            Document d = (Document) data.write(e);
            d.put("type", e.getClass().getSimpleName());
            d.put("eventId", e.eventId());
            out.add(d);
        }
        return out;
    }

    WorkflowEvent event(Document d) {
        String type = d.getString("type");
        for (Class<?> kind : WorkflowEvent.class.getPermittedSubclasses()) {
            if (kind.getSimpleName().equals(type)) {
                Document fields = new Document(d);
                fields.remove("type");
                fields.remove("eventId");
                return (WorkflowEvent) data.read(fields, kind);
            }
        }
        throw new IllegalStateException("unknown event type in outbox: " + type);
    }

    static void putInstant(Map<String, Object> d, String name, Instant at) {
        if (at == null) {
            d.put(name, null);
            return;
        }
        d.put(name, Date.from(at));
        int remainder = at.getNano() % 1_000_000;
        if (remainder != 0) d.put(name + "Ns", remainder);
    }

    static Instant getInstant(Document d, String name) {
        return BsonData.instant(d.getDate(name), (Number) d.get(name + "Ns"));
    }

    private static Number number(Object value) {
        return value == null ? 0 : (Number) value;
    }
}
