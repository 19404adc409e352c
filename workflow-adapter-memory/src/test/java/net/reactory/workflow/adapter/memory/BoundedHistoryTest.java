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
    private static final HistoryNames NAMES = new HistoryNames();

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

    private static void check(long revision, Instant at, int pointer) {
        for (HistoryNames names : new HistoryNames[] {NAMES, new HistoryNames(0), new HistoryNames(1)}) {
            BoundedHistory history = new BoundedHistory(OWNER);
            List<WorkflowEvent> events = everyKind(revision, at, pointer);
            synchronized (history) {
                history.append(events, 1_000, names);
            }
            assertThat(read(history, names)).as("revision %s at %s pointer %s", revision, at, pointer)
                    .containsExactlyElementsOf(events.stream().map(HistoryEntry::of).toList());
        }
    }

    private static List<HistoryEntry> read(BoundedHistory history, HistoryNames names) {
        synchronized (history) {
            return history.page(OWNER, Long.MIN_VALUE, Integer.MAX_VALUE, names).entries();
        }
    }

    /** Appends each of {@code events} on its own, then checks that the history reads them all back. */
    private static BoundedHistory appendedOneByOne(List<WorkflowEvent> events, HistoryNames names) {
        BoundedHistory history = new BoundedHistory(OWNER);
        for (WorkflowEvent e : events) {
            synchronized (history) {
                history.append(List.of(e), 1_000, names);
            }
        }
        assertThat(read(history, names)).containsExactlyElementsOf(events.stream().map(HistoryEntry::of).toList());
        return history;
    }

    private static WorkflowEvent step(long revision, Instant at, int pointer) {
        return new WorkflowEvent.StepCompleted(ID, DEF, revision, at, "S" + pointer % 3, pointer);
    }

    @Test
    void givenTheHistoriesOfAThreeStepRunAndOfAWait_whenAppendedTransitionByTransition_thenTheyStayInTheSlotsFields() {
        // As the runner writes them: one revision per claim and one per save, a transition's events at one time.
        Instant t = OWNER.createdAt();
        BoundedHistory run = appendedOneByOne(List.of(
                new WorkflowEvent.WorkflowStarted(ID, DEF, 1, t, null),
                step(3, t.plusNanos(41_000), 0), step(5, t.plusNanos(95_123), 1), step(7, t.plusMillis(3)),
                new WorkflowEvent.WorkflowCompleted(ID, DEF, 7, t.plusMillis(3))), NAMES);
        assertThat(run.inFields()).isTrue();
        BoundedHistory wait = appendedOneByOne(List.of(
                new WorkflowEvent.WorkflowStarted(ID, DEF, 1, t, null),
                step(3, t.plusNanos(41_000), 0),
                new WorkflowEvent.EventAwaited(ID, DEF, 3, t.plusNanos(41_000), "Wait", 1, "paid", "order-7", null)), NAMES);
        assertThat(wait.inFields()).isTrue();
    }

    @Test
    void givenTheHistoryOfAWaitThatWasAnsweredSecondsLater_whenAppendedTransitionByTransition_thenItStaysInTheSlotsFields() {
        // The events workload's: a step that waits, the event seven seconds on, the next step and the end (9 units).
        Instant t = OWNER.createdAt();
        Instant answered = t.plusSeconds(7);
        BoundedHistory answeredWait = appendedOneByOne(List.of(
                new WorkflowEvent.WorkflowStarted(ID, DEF, 1, t, null),
                step(3, t.plusNanos(41_000), 0),
                new WorkflowEvent.EventAwaited(ID, DEF, 3, t.plusNanos(41_000), "Wait", 1, "paid", "order-7", null),
                new WorkflowEvent.EventReceived(ID, DEF, 5, answered, "Wait", 1, "paid", "order-7", "evt-1"),
                step(7, answered.plusNanos(30_000), 1),
                new WorkflowEvent.WorkflowCompleted(ID, DEF, 7, answered.plusNanos(30_000))), NAMES);
        assertThat(answeredWait.inFields()).isTrue();
    }

    private static WorkflowEvent step(long revision, Instant at) {
        return step(revision, at, 2);
    }

    @Test
    void givenStepsOfTimeRevisionAndPointerAtEachFormsEdge_whenAppendedOneByOne_thenEachGivesItsEntry() {
        Instant t = OWNER.createdAt();
        List<WorkflowEvent> events = new ArrayList<>();
        long revision = 1;
        events.add(new WorkflowEvent.WorkflowStarted(ID, DEF, revision, t, null));
        long[] timeSteps = {0, 255, 256, (1L << 34) - 1, 1L << 34, 86_400_000_000_000L * 365, 1, -1, -86_400_000_000_000L};
        long[] revisionSteps = {0, 3, 4, 15, 16, 0, 1, -1, -1_000};
        int[] pointers = {0, 63, 64, 1023, 1024, Integer.MAX_VALUE, -1, 7, 0};
        // One edge at a time, the other numbers at a step every form takes, so that each edge decides the form.
        for (int k = 0; k < timeSteps.length * 3; k++) {
            int edge = k % timeSteps.length;
            t = t.plusNanos(k < timeSteps.length ? timeSteps[edge] : 0);
            revision += k >= timeSteps.length && k < 2 * timeSteps.length ? revisionSteps[edge] : 0;
            int pointer = k >= 2 * timeSteps.length ? pointers[edge] : 5;
            events.add(step(revision, t, pointer));
            events.add(new WorkflowEvent.EventAwaited(ID, DEF, revision, t, "Wait", pointer, "paid", "k" + k, null));
            events.add(new WorkflowEvent.EventReceived(ID, DEF, revision, t, "Wait", pointer, "paid", null, "evt"));
        }
        for (HistoryNames names : new HistoryNames[] {NAMES, new HistoryNames(0), new HistoryNames(1)}) appendedOneByOne(events, names);
    }

    @Test
    void givenAnInstanceReplacedByOneCreatedAtAnotherTime_whenItsHistoryIsRead_thenItIsAsAppended() {
        BoundedHistory history = new BoundedHistory(OWNER);
        Instant t = OWNER.createdAt();
        List<WorkflowEvent> events = new ArrayList<>(List.of(new WorkflowEvent.WorkflowStarted(ID, DEF, 1, t, null), step(2, t.plusMillis(1))));
        WorkflowInstance moved = new WorkflowInstance(OWNER.id(), DEF, OWNER.status(), OWNER.data(), OWNER.pointers(), OWNER.nextPointerId(),
                OWNER.nextExecution(), 2, null, t.minusSeconds(60), t, null, null, List.of());
        synchronized (history) {
            history.append(events, 1_000, NAMES);
            history.replacing(moved);
            history.instance = moved;
            history.append(List.of(step(3, t.plusMillis(2))), 1_000, NAMES);
        }
        events.add(step(3, t.plusMillis(2)));
        assertThat(read(history, NAMES)).containsExactlyElementsOf(events.stream().map(HistoryEntry::of).toList());
    }

    @Test
    void givenALongHistoryCrossingItsCapAtRestNowAndThen_whenPagedThrough_thenTheNewestCapInOrderAndTheRestCounted() {
        for (int cap : new int[] {7, 1_000}) {
            BoundedHistory history = new BoundedHistory(OWNER);
            List<WorkflowEvent> all = new ArrayList<>();
            Instant t = OWNER.createdAt();
            for (int revision = 1; revision <= 1_500; revision++) {
                t = t.plusNanos(revision % 5 == 0 ? 40_000_000_000L : 17_000 * revision);
                List<WorkflowEvent> kinds = everyKind(revision, t, revision % 70);
                List<WorkflowEvent> batch = List.of(kinds.get(revision % kinds.size()), kinds.get((revision * 7) % kinds.size()));
                synchronized (history) {
                    history.append(batch, cap, NAMES);
                    if (revision % 3 == 0) history.rest(revision % 2 == 0);
                }
                all.addAll(batch);
            }
            List<HistoryEntry> kept = all.subList(all.size() - cap, all.size()).stream().map(HistoryEntry::of).toList();
            List<HistoryEntry> paged = new ArrayList<>();
            HistoryPage page;
            long after = Long.MIN_VALUE;
            do {
                synchronized (history) {
                    page = history.page(OWNER, after, 13, NAMES);
                }
                paged.addAll(page.entries());
                if (page.next() != null) after = page.next();
            } while (page.next() != null);
            assertThat(paged).as("cap %s", cap).containsExactlyElementsOf(kept);
            assertThat(page.dropped().count()).isEqualTo(all.size() - cap);
            assertThat(page.dropped().firstRevision()).isEqualTo(1);
            assertThat(page.dropped().lastRevision()).isEqualTo(all.get(all.size() - cap - 1).revision());
        }
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
            BoundedHistory history = new BoundedHistory(OWNER);
            List<WorkflowEvent> all = new ArrayList<>();
            for (int revision = 1; revision <= 40; revision++) {
                // Batches of one to four events, packed and whole ones mixed, so that drops and moves cross both.
                List<WorkflowEvent> kinds = everyKind(revision, NOW.plusMillis(revision), revision);
                List<WorkflowEvent> batch = new ArrayList<>();
                for (int k = 0; k <= revision % 4; k++) batch.add(kinds.get((revision * 5 + k * 3) % kinds.size()));
                synchronized (history) {
                    history.append(batch, cap, NAMES);
                }
                all.addAll(batch);
                List<WorkflowEvent> kept = all.subList(Math.max(0, all.size() - cap), all.size());
                HistoryPage page;
                synchronized (history) {
                    page = history.page(OWNER, Long.MIN_VALUE, Integer.MAX_VALUE, NAMES);
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
