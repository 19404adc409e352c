package net.reactory.workflow.adapter.mongo;

import static net.reactory.workflow.adapter.mongo.InstanceDocuments.COMPLETED_AT;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.CREATED_AT;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.LEASE_OWNER;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.LEASE_UNTIL;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.NEXT_EXECUTION;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.REFERENCE;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.REFERENCE_KEY;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.REVISION;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.SCHEMA;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.SCHEMA_VERSION;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.STATUS;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.TRACE_CONTEXT;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.WORKFLOW;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import net.reactory.workflow.domain.definition.DefinitionKey;
import net.reactory.workflow.domain.instance.ExecutionPointer;
import net.reactory.workflow.domain.instance.StepError;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/**
 * Every field of an instance document but {@code _id}, {@code cas}, the outbox and the history (the shape is
 * {@link InstanceDocuments}'), written as BSON elements straight from the instance, each in a slot of its own: a
 * save compares its slots with those this process last wrote, byte for byte, and sends only the elements that differ
 * ({@link InstanceUpdates}). No map of the fields is built on the way.
 */
final class InstanceFields {

    /** The slots, in the order they are written; a field the instance lacks (a null reference, a whole-millisecond remainder) has an empty one. */
    static final String[] NAMES = {SCHEMA, "definition", WORKFLOW, STATUS, "data", "dataType", "pointers", "nextPointerId",
            NEXT_EXECUTION, NEXT_EXECUTION + "Ns", REVISION, REFERENCE, REFERENCE_KEY, CREATED_AT, CREATED_AT + "Ns",
            "updatedAt", "updatedAtNs", COMPLETED_AT, COMPLETED_AT + "Ns", LEASE_OWNER, LEASE_UNTIL, LEASE_UNTIL + "Ns",
            "errors", TRACE_CONTEXT};

    /** The slots a save without a last write to compare with unsets when empty: the remainders and the reference. */
    static final boolean[] OPTIONAL = new boolean[NAMES.length];

    static {
        for (int slot = 0; slot < NAMES.length; slot++) {
            OPTIONAL[slot] = NAMES[slot].endsWith("Ns") || NAMES[slot].equals(REFERENCE) || NAMES[slot].equals(REFERENCE_KEY);
        }
    }

    /** The elements of one instance's fields, slot {@code s} in {@code bytes[from[s], to[s])}; never changed once written. */
    record Written(byte[] bytes, int[] from, int[] to) {

        boolean has(int slot) {
            return to[slot] > from[slot];
        }

        /** Whether slot {@code slot} holds the same element here and in {@code other}. */
        boolean same(int slot, Written other) {
            return BsonBytes.sameBytes(bytes, from[slot], to[slot], other.bytes, other.from[slot], other.to[slot]);
        }

        void copyTo(BsonBytes out, int slot) {
            out.copy(bytes, from[slot], to[slot] - from[slot]);
        }

        int length() {
            return to[NAMES.length - 1] - from[0];
        }

        void copyAllTo(BsonBytes out) {
            out.copy(bytes, from[0], to[NAMES.length - 1] - from[0]);
        }
    }

    /** The {@code definition} and {@code workflow} elements of one definition: the same bytes for all its instances. */
    private record Definition(DefinitionKey key, byte[] bytes, int split) {
    }

    /** Few definitions run in a process; the bound only keeps a pathological one from growing without end. */
    private static final int MAX_DEFINITIONS = 10_000;

    private final BsonData data;
    private final Map<DefinitionKey, Definition> definitions = new ConcurrentHashMap<>();
    /** The definition of the last write; racy by design, any one of them is right for its own key. */
    private volatile Definition last;

    InstanceFields(BsonData data) {
        this.data = data;
    }

    /** Written once per definition: the two strings it takes were built and encoded again for every write before. */
    private Definition definition(DefinitionKey key) {
        // Most writes are of the definition the last one was of: the same key object, without hashing the record.
        Definition last = this.last;
        if (last != null && last.key() == key) return last;
        Definition known = definitions.get(key);
        if (known != null) {
            this.last = known;
            return known;
        }
        BsonBytes out = new BsonBytes(128);
        int definition = out.startDocument("definition");
        out.string("nameSpace", key.id().nameSpace());
        out.string("name", key.id().name());
        out.string("version", key.version().toString());
        out.end(definition);
        int split = out.position();
        out.string(WORKFLOW, key.id().toString());
        Definition written = new Definition(key, java.util.Arrays.copyOf(out.array(), out.position()), split);
        if (definitions.size() >= MAX_DEFINITIONS) definitions.clear();
        definitions.put(key, written);
        return written;
    }

    /** A time's field and its remainder's ({@code <name>Ns}), encoded once. */
    record Time(BsonBytes.Name date, BsonBytes.Name remainder) {
        static Time of(String name) {
            return new Time(BsonBytes.name(name), BsonBytes.name(name + "Ns"));
        }
    }

    static final BsonBytes.Name[] SLOT_NAMES = new BsonBytes.Name[NAMES.length];

    static {
        for (int slot = 0; slot < NAMES.length; slot++) SLOT_NAMES[slot] = BsonBytes.name(NAMES[slot]);
    }

    private static final BsonBytes.Name N_SCHEMA = BsonBytes.name(SCHEMA);
    private static final BsonBytes.Name N_STATUS = BsonBytes.name(STATUS);
    private static final BsonBytes.Name N_DATA = BsonBytes.name("data");
    private static final BsonBytes.Name N_DATA_TYPE = BsonBytes.name("dataType");
    private static final BsonBytes.Name N_POINTERS = BsonBytes.name("pointers");
    private static final BsonBytes.Name N_NEXT_POINTER_ID = BsonBytes.name("nextPointerId");
    private static final BsonBytes.Name N_REVISION = BsonBytes.name(REVISION);
    private static final BsonBytes.Name N_REFERENCE = BsonBytes.name(REFERENCE);
    private static final BsonBytes.Name N_REFERENCE_KEY = BsonBytes.name(REFERENCE_KEY);
    private static final BsonBytes.Name N_LEASE_OWNER = BsonBytes.name(LEASE_OWNER);
    private static final BsonBytes.Name N_ERRORS = BsonBytes.name("errors");
    private static final BsonBytes.Name N_TRACE_CONTEXT = BsonBytes.name(TRACE_CONTEXT);
    private static final Time T_NEXT_EXECUTION = Time.of(NEXT_EXECUTION);
    private static final Time T_CREATED_AT = Time.of(CREATED_AT);
    private static final Time T_UPDATED_AT = Time.of("updatedAt");
    private static final Time T_COMPLETED_AT = Time.of(COMPLETED_AT);
    private static final Time T_LEASE_UNTIL = Time.of(LEASE_UNTIL);
    private static final BsonBytes.Name N_ID = BsonBytes.name("id");
    private static final BsonBytes.Name N_STEP_ID = BsonBytes.name("stepId");
    private static final BsonBytes.Name N_ATTEMPT = BsonBytes.name("attempt");
    private static final Time T_SLEEP_UNTIL = Time.of("sleepUntil");
    private static final Time T_EFFECTIVE_DATE = Time.of("effectiveDate");
    private static final BsonBytes.Name N_STATE = BsonBytes.name("state");
    private static final BsonBytes.Name N_STATE_TYPE = BsonBytes.name("stateType");
    private static final BsonBytes.Name N_STEP = BsonBytes.name("step");
    private static final BsonBytes.Name N_TYPE = BsonBytes.name("type");
    private static final BsonBytes.Name N_MESSAGE = BsonBytes.name("message");
    static final Time T_AT = Time.of("at");

    Written write(WorkflowInstance i) {
        BsonBytes out = new BsonBytes(512);
        Slots slots = new Slots();
        out.int32(N_SCHEMA, SCHEMA_VERSION);
        slots.next(out);
        Definition definition = definition(i.definition());
        out.copy(definition.bytes(), 0, definition.split());
        slots.next(out);
        out.copy(definition.bytes(), definition.split(), definition.bytes().length - definition.split());
        slots.next(out);
        out.string(N_STATUS, i.status().name());
        slots.next(out);
        BsonData.Encoded encoded = data.encode(i.data());
        out.value(N_DATA, encoded.value());
        slots.next(out);
        out.string(N_DATA_TYPE, encoded.type());
        slots.next(out);
        pointers(out, i.pointers());
        slots.next(out);
        out.int32(N_NEXT_POINTER_ID, i.nextPointerId());
        slots.next(out);
        instant(out, slots, T_NEXT_EXECUTION, i.nextExecution());
        out.int64(N_REVISION, i.revision());
        slots.next(out);
        if (i.reference() != null) out.string(N_REFERENCE, i.reference());
        slots.next(out);
        if (i.reference() != null) out.string(N_REFERENCE_KEY, InstanceDocuments.referenceKey(i));
        slots.next(out);
        instant(out, slots, T_CREATED_AT, i.createdAt());
        instant(out, slots, T_UPDATED_AT, i.updatedAt());
        instant(out, slots, T_COMPLETED_AT, i.completedAt());
        out.string(N_LEASE_OWNER, i.lease() == null ? null : i.lease().owner());
        slots.next(out);
        instant(out, slots, T_LEASE_UNTIL, i.lease() == null ? null : i.lease().until());
        errors(out, i.errors());
        slots.next(out);
        // Set once at the start; absent for an untraced instance, so it costs an untraced document nothing.
        if (!i.traceContext().isEmpty()) traceContext(out, i.traceContext());
        slots.to[slots.slot] = out.position();
        return new Written(out.array(), slots.from, slots.to);
    }

    private void pointers(BsonBytes out, List<ExecutionPointer> all) {
        int pointers = out.startArray(N_POINTERS);
        for (int p = 0; p < all.size(); p++) pointer(out, BsonBytes.index(p), all.get(p));
        out.end(pointers);
    }

    private static void errors(BsonBytes out, List<StepError> all) {
        int errors = out.startArray(N_ERRORS);
        for (int e = 0; e < all.size(); e++) error(out, BsonBytes.index(e), all.get(e));
        out.end(errors);
    }

    private static void traceContext(BsonBytes out, Map<String, String> context) {
        int at = out.startDocument(N_TRACE_CONTEXT);
        for (Map.Entry<String, String> e : context.entrySet()) out.string(e.getKey(), e.getValue());
        out.end(at);
    }

    /** Where each slot's elements begin and end, filled in as they are written. */
    private static final class Slots {
        final int[] from = new int[NAMES.length];
        final int[] to = new int[NAMES.length];
        int slot;

        /** The current slot ends where the next begins. */
        void next(BsonBytes out) {
            to[slot] = out.position();
            from[++slot] = out.position();
        }
    }

    /** An instant's slot and its remainder's: the date (or null), then {@code <name>Ns} when not a whole millisecond. */
    private static void instant(BsonBytes out, Slots slots, Time name, Instant at) {
        if (at == null) out.nullValue(name.date());
        else out.dateTime(name.date(), at.toEpochMilli());
        slots.next(out);
        if (at != null && at.getNano() % 1_000_000 != 0) out.int32(name.remainder(), at.getNano() % 1_000_000);
        slots.next(out);
    }

    /** As {@link InstanceDocuments#putInstant}: a date, and the sub-millisecond remainder beside it when there is one. */
    static void instantWithRemainder(BsonBytes out, Time name, Instant at) {
        if (at == null) {
            out.nullValue(name.date());
            return;
        }
        out.dateTime(name.date(), at.toEpochMilli());
        if (at.getNano() % 1_000_000 != 0) out.int32(name.remainder(), at.getNano() % 1_000_000);
    }

    private void pointer(BsonBytes out, String name, ExecutionPointer p) {
        int at = out.startDocument(name);
        out.int32(N_ID, p.id());
        out.int32(N_STEP_ID, p.stepId());
        out.int32(N_ATTEMPT, p.attempt());
        instantWithRemainder(out, T_SLEEP_UNTIL, p.sleepUntil());
        BsonData.Encoded state = data.encode(p.persistedState());
        out.value(N_STATE, state.value());
        if (state.type() != null) out.string(N_STATE_TYPE, state.type());
        if (p.waitingFor() != null) waitingFor(out, p.waitingFor());
        if (p.scope() != ExecutionPointer.NO_SCOPE) out.int32("scope", p.scope());
        typed(out, "item", p.item());
        if (p.join() != null) join(out, p.join());
        if (p.compensation() != null) {
            int c = out.startDocument("compensation");
            out.value("owed", p.compensation().owed());
            out.bool("running", p.compensation().running());
            out.end(c);
        }
        out.end(at);
    }

    private static void waitingFor(BsonBytes out, ExecutionPointer.EventWait wait) {
        int w = out.startDocument("waitingFor");
        out.string("name", wait.name());
        out.string("key", wait.key());
        instantWithRemainder(out, T_EFFECTIVE_DATE, wait.effectiveDate());
        out.end(w);
    }

    private void join(BsonBytes out, ExecutionPointer.Join join) {
        int at = out.startDocument("join");
        int pending = out.startArray("pending");
        List<Object> values = join.pending();
        for (int v = 0; v < values.size(); v++) {
            int one = out.startDocument(BsonBytes.index(v));
            typed(out, "value", values.get(v));
            out.end(one);
        }
        out.end(pending);
        typed(out, "state", join.state());
        if (!join.owed().isEmpty()) out.value("owed", join.owed());
        out.end(at);
    }

    /** A value of any type under {@code name}, with its type hint under {@code nameType}; nothing when null. */
    private void typed(BsonBytes out, String name, Object value) {
        if (value == null) return;
        BsonData.Encoded encoded = data.encode(value);
        out.value(name, encoded.value());
        if (encoded.type() != null) out.string(name + "Type", encoded.type());
    }

    /** A step error, as the instance's errors and the history's entries keep it. */
    static void error(BsonBytes out, String name, StepError e) {
        int at = out.startDocument(name);
        out.string(N_STEP, e.step());
        out.string(N_TYPE, e.type());
        out.string(N_MESSAGE, e.message());
        out.int32(N_ATTEMPT, e.attempt());
        instantWithRemainder(out, T_AT, e.at());
        out.end(at);
    }
}
