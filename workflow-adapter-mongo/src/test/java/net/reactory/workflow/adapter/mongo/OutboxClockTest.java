package net.reactory.workflow.adapter.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.application.port.out.TestInstances;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/** The outbox dates its entries and judges their age by the store's injected clock, not the machine's. */
class OutboxClockTest {

    private static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");

    private final AtomicReference<Instant> now = new AtomicReference<>(T0);
    private final InstantSource clock = now::get;
    private final MongoInstanceStore store = new MongoInstanceStore(TestMongo.freshDatabase(), new BsonData(), Duration.ofSeconds(10), clock)
            .createIndexes();
    private final MongoOutbox outbox = new MongoOutbox(store, events -> { });

    @Test
    void givenAnEntryWrittenAtT0_whenTheClockPassesTheGrace_thenItIsInDoubtAndNotBefore() {
        WorkflowInstance instance = TestInstances.runnable(T0);
        store.create(instance);
        WorkflowInstance next = TestInstances.advanced(instance, Map.of("n", 2));
        List<WorkflowEvent> events = List.of(new WorkflowEvent.WorkflowCompleted(next.id(), next.definition(), next.revision(), T0));
        assertThat(store.save(next, instance.revision(), events)).isTrue();

        now.set(T0.plusSeconds(59));
        assertThat(outbox.pendingEvents(Duration.ofMinutes(1), 10)).isEmpty();

        now.set(T0.plusSeconds(61));
        assertThat(outbox.pendingEvents(Duration.ofMinutes(1), 10))
                .singleElement()
                .satisfies(p -> {
                    assertThat(p.instanceId()).isEqualTo(instance.id());
                    assertThat(p.revision()).isEqualTo(next.revision());
                    assertThat(p.events()).isEqualTo(events);
                });
    }

    /** Issue 14, point 1: a node that dies right after a create must not lose the instance's {@code started} event. */
    @Test
    void givenACreateWithItsStartedEvent_whenNobodyAcknowledgesIt_thenTheRelayFindsItInTheNewDocument() {
        WorkflowInstance instance = TestInstances.runnable(T0);
        List<WorkflowEvent> started = List.of(new WorkflowEvent.WorkflowStarted(instance.id(), instance.definition(), instance.revision(), T0, null));
        store.create(instance, started);

        now.set(T0.plusSeconds(61));
        assertThat(outbox.pendingEvents(Duration.ofMinutes(1), 10))
                .singleElement()
                .satisfies(p -> {
                    assertThat(p.instanceId()).isEqualTo(instance.id());
                    assertThat(p.revision()).isEqualTo(instance.revision());
                    assertThat(p.events()).isEqualTo(started);
                });
    }
}
