package net.reactory.workflow.adapter.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.Test;

import com.mongodb.reactivestreams.client.MongoDatabase;

import net.reactory.workflow.application.port.out.TestInstances;
import net.reactory.workflow.domain.instance.ExecutionPointer;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/** Acceptance 6: workflow data of every common kind comes back from MongoDB equal, and is stored readable. */
class DataRoundTripTest {

    record Address(String street, String city, Map<String, String> extra) {
    }

    record Line(String sku, int quantity, BigDecimal price) {
    }

    record Order(String customer, Address address, List<Line> lines, Map<String, Line> byKey, Instant placedAt,
                 BigDecimal total, Long big, Double ratio, Boolean paid, String note, List<Instant> reminders) {
    }

    private final MongoDatabase database = TestMongo.freshDatabase();
    private final MongoInstanceStore store = new MongoInstanceStore(database).createIndexes();

    private static Order order() {
        Map<String, String> extra = new HashMap<>();
        extra.put("floor", "3ᵉ étage");
        extra.put("door", null);
        Line a = new Line("ÄÖÜ-42 ✓", 3, new BigDecimal("19.990"));
        Line b = new Line("日本語-7 🚀", 1, new BigDecimal("12345678901234567890.123456789012"));
        return new Order("Zoë 😀", new Address("Straße 1", "Zürich", extra), List.of(a, b), Map.of("a", a, "b", b),
                Instant.parse("2026-03-04T05:06:07.123456789Z"), new BigDecimal("-0.000000000000000000000000000000001"),
                Long.MAX_VALUE, 0.1 + 0.2, true, null, Arrays.asList(Instant.EPOCH, Instant.parse("1969-12-31T23:59:59.999999999Z")));
    }

    private WorkflowInstance withData(Object data, Object state) {
        WorkflowInstance i = TestInstances.runnable(Instant.parse("2026-06-01T12:00:00.000000001Z"));
        return new WorkflowInstance(i.id(), i.definition(), i.status(), data,
                List.of(new ExecutionPointer(0, 0, 2, Instant.parse("2026-06-01T12:00:00.987654321Z"), state,
                        new ExecutionPointer.EventWait("paid", "order-1", Instant.parse("2026-06-01T12:00:00.5Z")))),
                1, i.nextExecution(), i.revision(), "ref-ü", i.createdAt(), i.updatedAt(), null, null, List.of());
    }

    @Test
    void givenNestedRecordsListsMapsInstantsDecimalsNullsAndUnicode_whenSavedAndLoaded_thenEqual() {
        WorkflowInstance instance = withData(order(), new Line("state", 7, new BigDecimal("1.10")));

        store.create(instance);
        WorkflowInstance loaded = store.load(instance.id()).orElseThrow();

        assertThat(loaded).isEqualTo(instance);
        assertThat(loaded.data()).isInstanceOf(Order.class);
        assertThat(((Order) loaded.data()).total()).isEqualByComparingTo("-1E-33").hasScaleOf(33);
    }

    @Test
    void givenReceivedEventWithItsPublishersTraceContextAsState_whenSavedAndLoaded_thenEqual() {
        var received = new net.reactory.workflow.domain.instance.ReceivedEvent("e-1", "paid", "order-1", Map.of("amount", 3),
                Instant.parse("2026-06-01T12:00:00.5Z"), Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
        WorkflowInstance instance = withData(Map.of(), received);

        store.create(instance);

        assertThat(store.load(instance.id()).orElseThrow().pointers().get(0).persistedState()).isEqualTo(received);
    }

    @Test
    void givenUntypedMapsAndLists_whenSavedAndLoaded_thenEqualWithTheirNumberTypes() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("nothing", null);
        nested.put("list", new ArrayList<>(Arrays.asList(1, 2L, 3.5, "vier", null, List.of(true))));
        nested.put("amount", new BigDecimal("100.00"));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", "Ελληνικά");
        data.put("nested", nested);
        data.put("count", 42);
        WorkflowInstance instance = withData(data, "plain state");

        store.create(instance);

        assertThat(store.load(instance.id()).orElseThrow()).isEqualTo(instance);
    }

    @Test
    void givenRecordData_whenStored_thenDocumentIsReadableBsonWithSchemaVersionAndTypeHint() {
        WorkflowInstance instance = withData(order(), null);

        store.create(instance);

        Document raw = Blocking.one(database.getCollection(MongoInstanceStore.COLLECTION).find(new Document("_id", instance.id())),
                java.time.Duration.ofSeconds(5));
        assertThat(raw.getInteger("schema")).isEqualTo(1);
        assertThat(raw.getString("dataType")).isEqualTo(Order.class.getName());
        Document data = raw.get("data", Document.class);
        assertThat(data.getString("customer")).isEqualTo("Zoë 😀");
        assertThat(data.get("total")).isEqualTo(new Decimal128(new BigDecimal("-1E-33")));
        assertThat(data.getString("placedAt")).isEqualTo("2026-03-04T05:06:07.123456789Z");
        assertThat(raw.getDate("createdAt")).isNotNull();
        assertThat(raw.getString("status")).isEqualTo(WorkflowStatus.RUNNABLE.name());
    }

    interface Shape {
    }

    record Circle(double radius) implements Shape {
    }

    record Drawing(Object anything, Shape shape, List<Line> lines) {
    }

    @Test
    void givenRecordWithObjectAndInterfaceComponents_whenStored_thenOnlyThoseValuesCarryATypeHint() {
        WorkflowInstance instance = withData(new Drawing(7L, new Circle(2.0), List.of(new Line("a", 1, BigDecimal.ONE))), null);

        store.create(instance);

        Document raw = Blocking.one(database.getCollection(MongoInstanceStore.COLLECTION).find(new Document("_id", instance.id())),
                java.time.Duration.ofSeconds(5));
        Document data = raw.get("data", Document.class);
        assertThat(data.get("anything")).isEqualTo(List.of("java.lang.Long", 7L));
        assertThat(data.get("shape", Document.class).getString("@type")).isEqualTo(Circle.class.getName());
        assertThat(data.getList("lines", Document.class).get(0)).doesNotContainKey("@type").containsEntry("sku", "a");
        assertThat(store.load(instance.id()).orElseThrow().data()).isEqualTo(instance.data());
    }

    @Test
    void givenNestedTypeHintNamingAClassThatIsNotAllowed_whenLoaded_thenRefusedWithoutBuildingIt() {
        BsonData data = new BsonData();
        Document stored = new Document("anything", new Document("@type", "java.lang.ProcessBuilder").append("command", List.of("rm")))
                .append("shape", null).append("lines", List.of());

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> data.decode(stored, Drawing.class.getName()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot be read back");
    }

    @Test
    void givenTypeHintNamingAClassThatIsNotAllowed_whenLoaded_thenDataComesBackAsAMapAndTheClassIsNotBuilt() {
        BsonData data = new BsonData();
        Object hostile = data.decode(new Document("command", "rm -rf /"), "java.lang.ProcessBuilder");

        assertThat(hostile).isEqualTo(Map.of("command", "rm -rf /"));
    }
}
