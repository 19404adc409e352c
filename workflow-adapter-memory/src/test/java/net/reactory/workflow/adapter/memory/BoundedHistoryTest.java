package net.reactory.workflow.adapter.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.application.port.out.HistoryEntry;
import net.reactory.workflow.application.port.out.HistoryPage;
import net.reactory.workflow.application.port.out.TestInstances;
import net.reactory.workflow.domain.definition.DefinitionKey;
import net.reactory.workflow.domain.instance.ExecutionPointer;
import net.reactory.workflow.domain.instance.StepError;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowEvent.Origin;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/** The packed history gives back, for every kind of event and every value at the edges of the packing, the entry the event makes. */
class BoundedHistoryTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:15:30.123456789Z");
    private static final WorkflowInstance OWNER = TestInstances.runnable(NOW);
    private static final String ID = OWNER.id();
    private static final DefinitionKey DEF = OWNER.definition();

    private static List<WorkflowEvent> everyKind(long revision, Instant at, int pointer) {
        StepError error = new StepError("Charge", "IOException", "card declined", 2, at);
        Origin origin = new Origin("alice", "http");
        return List.of(
                new WorkflowEvent.WorkflowStarted(ID, DEF, revision, at, null),
                new WorkflowEvent.WorkflowStarted(ID, DEF, revision, at, "order-7"),
                new WorkflowEvent.StepCompleted(ID, DEF, revision, at, "Reserve", pointer),
                new WorkflowEvent.StepFailed(ID, DEF, revision, at, error),
                new WorkflowEvent.RetryScheduled(ID, DEF, revision, at, "Charge", 3, NOW.plusSeconds(5)),
                new WorkflowEvent.WorkflowSuspended(ID, DEF, revision, at, "ops", origin),
                new WorkflowEvent.WorkflowResumed(ID, DEF, revision, at),
                new WorkflowEvent.WorkflowResumed(ID, DEF, revision, at, origin),
                new WorkflowEvent.WorkflowCompleted(ID, DEF, revision, at),
                new WorkflowEvent.WorkflowFailed(ID, DEF, revision, at, error),
                new WorkflowEvent.WorkflowTerminated(ID, DEF, revision, at, "no longer needed", origin),
                new WorkflowEvent.EventAwaited(ID, DEF, revision, at, "Wait", pointer, "paid", "order-7", NOW.plusSeconds(60)),
                new WorkflowEvent.EventReceived(ID, DEF, revision, at, "Wait", pointer, "paid", "order-7", "evt-1"),
                new WorkflowEvent.ChildWorkflowRequested(ID, DEF, revision, at, "Ship", pointer, "shop.Ship", "1.0.0", Map.of(), "ship-7"),
                new WorkflowEvent.CompensationStarted(ID, DEF, revision, at, "Charge", pointer, List.of("Reserve", "Hold")),
                new WorkflowEvent.StepCancelled(ID, DEF, revision, at, "Wait", pointer, new ExecutionPointer.EventWait("paid", "order-7", null)));
    }

    private static List<HistoryEntry> read(BoundedHistory history) {
        synchronized (history) {
            return history.page(OWNER, Long.MIN_VALUE, Integer.MAX_VALUE).entries();
        }
    }

    private static void check(long revision, Instant at, int pointer) {
        BoundedHistory history = new BoundedHistory();
        List<WorkflowEvent> events = everyKind(revision, at, pointer);
        synchronized (history) {
            history.append(events, 1_000);
        }
        assertThat(read(history)).as("revision %s at %s pointer %s", revision, at, pointer)
                .containsExactlyElementsOf(events.stream().map(HistoryEntry::of).toList());
    }

    @Test
    void givenEveryKindOfEvent_whenAppendedAndRead_thenEachGivesTheEntryTheEventMakes() {
        check(7, NOW, 3);
        check(0, NOW, 0);
    }

    @Test
    void givenNumbersAtAndBeyondThePackingsEdges_whenAppendedAndRead_thenEachStillGivesItsEntry() {
        for (long revision : new long[] {(1L << 40) - 1, 1L << 40, Long.MAX_VALUE, -1}) check(revision, NOW, 5);
        for (int pointer : new int[] {(1 << 20) - 1, 1 << 20, Integer.MAX_VALUE, -1}) check(3, NOW, pointer);
        for (Instant at : new Instant[] {Instant.EPOCH, Instant.EPOCH.minusNanos(1), Instant.parse("1677-09-22T00:12:44Z"),
                Instant.parse("2262-04-11T23:47:16.854775807Z"), Instant.MAX, Instant.MIN}) {
            check(3, at, 5);
        }
    }

    @Test
    void givenBatchesOfEveryKindPastTheCap_whenRead_thenTheNewestCapKeptInOrderAndTheRestCountedExactly() {
        for (int cap : new int[] {1, 2, 5, 16}) {
            BoundedHistory history = new BoundedHistory();
            List<WorkflowEvent> all = new ArrayList<>();
            for (int revision = 1; revision <= 40; revision++) {
                // Batches of one to four events, packed and whole ones mixed, so that drops and moves cross both.
                List<WorkflowEvent> kinds = everyKind(revision, NOW.plusMillis(revision), revision);
                List<WorkflowEvent> batch = new ArrayList<>();
                for (int k = 0; k <= revision % 4; k++) batch.add(kinds.get((revision * 5 + k * 3) % kinds.size()));
                synchronized (history) {
                    history.append(batch, cap);
                }
                all.addAll(batch);
                List<WorkflowEvent> kept = all.subList(Math.max(0, all.size() - cap), all.size());
                HistoryPage page;
                synchronized (history) {
                    page = history.page(OWNER, Long.MIN_VALUE, Integer.MAX_VALUE);
                }
                assertThat(page.entries()).as("cap %s after revision %s", cap, revision).containsExactlyElementsOf(kept.stream().map(HistoryEntry::of).toList());
                int droppedCount = all.size() - kept.size();
                assertThat(page.dropped().count()).isEqualTo(droppedCount);
                if (droppedCount > 0) {
                    assertThat(page.dropped().firstRevision()).isEqualTo(all.get(0).revision());
                    assertThat(page.dropped().lastRevision()).isEqualTo(all.get(droppedCount - 1).revision());
                }
            }
        }
    }
}
