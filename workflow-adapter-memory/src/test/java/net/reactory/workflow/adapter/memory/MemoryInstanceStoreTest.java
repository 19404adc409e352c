package net.reactory.workflow.adapter.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.application.port.in.InstanceFilter;
import net.reactory.workflow.application.port.out.HistoryEntry;
import net.reactory.workflow.application.port.out.HistoryPage;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.port.out.InstanceStoreContract;
import net.reactory.workflow.application.port.out.TestInstances;
import net.reactory.workflow.domain.instance.Lease;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

class MemoryInstanceStoreTest extends InstanceStoreContract {

    @Override
    protected InstanceStore newStore() {
        return new MemoryInstanceStore();
    }

    @Override
    protected InstanceStore newStore(int historyLimit) {
        return new MemoryInstanceStore(Duration.ofDays(365), historyLimit);
    }

    @Test
    void givenRetention_whenInstancesFinishLongerAgoThanIt_thenTheyAreDroppedAndRecentOnesKept() {
        MemoryInstanceStore store = new MemoryInstanceStore(Duration.ofMinutes(1));
        WorkflowInstance early = TestInstances.runnable(NOW);
        WorkflowInstance late = TestInstances.runnable(NOW);
        store.create(early);
        store.create(late);

        store.save(finish(early, NOW), early.revision(), List.of());
        store.save(finish(late, NOW.plus(Duration.ofMinutes(2))), late.revision(), List.of());

        assertThat(store.load(early.id())).isEmpty();
        assertThat(store.load(late.id())).isPresent();
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void givenAPurgeThatStoppedAtAYoungHead_whenLaterFinishesPassIt_thenEachIsDroppedOnceItsRetentionIsOver() {
        // Each finishing save purges; one that finds the head too young remembers when it finished and skips till then.
        MemoryInstanceStore store = new MemoryInstanceStore(Duration.ofMinutes(1));
        WorkflowInstance a = TestInstances.runnable(NOW);
        WorkflowInstance b = TestInstances.runnable(NOW);
        WorkflowInstance c = TestInstances.runnable(NOW);
        WorkflowInstance d = TestInstances.runnable(NOW);
        for (WorkflowInstance i : List.of(a, b, c, d)) store.create(i);

        store.save(finish(a, NOW), a.revision(), List.of());
        store.save(finish(b, NOW.plusSeconds(30)), b.revision(), List.of());
        assertThat(store.size()).as("nothing finished a minute ago yet").isEqualTo(4);

        store.save(finish(c, NOW.plusSeconds(90)), c.revision(), List.of());
        assertThat(store.load(a.id())).isEmpty();
        assertThat(store.load(b.id())).as("finished exactly a minute before c: not before the cutoff").isPresent();

        store.save(finish(d, NOW.plusSeconds(200)), d.revision(), List.of());
        assertThat(store.load(b.id())).isEmpty();
        assertThat(store.load(c.id())).isEmpty();
        assertThat(store.load(d.id())).isPresent();
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void givenInstancesCreatedBeforeAndAfterTheFirstList_whenOneIsPurged_thenListsShowExactlyTheOnesStillHeld() {
        // The list index is built by the first list: what came before it and what comes after must both be in it.
        MemoryInstanceStore store = new MemoryInstanceStore(Duration.ofMinutes(1));
        WorkflowInstance a = TestInstances.runnable(NOW);
        WorkflowInstance b = TestInstances.runnable(NOW);
        store.create(a);
        store.create(b);
        assertThat(store.query(InstanceFilter.all(10))).extracting(WorkflowInstance::id).containsExactlyInAnyOrder(a.id(), b.id());

        WorkflowInstance c = TestInstances.runnable(NOW);
        store.create(c);
        store.save(finish(a, NOW), a.revision(), List.of());
        store.save(finish(c, NOW.plus(Duration.ofMinutes(2))), c.revision(), List.of());

        assertThat(store.load(a.id())).isEmpty();
        assertThat(store.query(InstanceFilter.all(10))).extracting(WorkflowInstance::id).containsExactlyInAnyOrder(b.id(), c.id());
    }

    @Test
    void givenRetention_whenAFinishedInstanceIsWrittenAgain_thenItIsStillDropped() {
        MemoryInstanceStore store = new MemoryInstanceStore(Duration.ofMinutes(1));
        WorkflowInstance early = TestInstances.runnable(NOW);
        WorkflowInstance late = TestInstances.runnable(NOW);
        store.create(early);
        store.create(late);
        // Finished with its lease still on, then the lease handed back: a write the retention queue never saw.
        WorkflowInstance finished = finish(early, NOW).withLease(new Lease("node-a", NOW.plusSeconds(30)));
        store.save(finished, early.revision(), List.of());
        assertThat(store.releaseLease(early.id(), "node-a", finished.revision())).isTrue();

        store.save(finish(late, NOW.plus(Duration.ofMinutes(2))), late.revision(), List.of());

        assertThat(store.load(early.id())).as("queued as one version, stored as the next").isEmpty();
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void givenAnInstanceThatWaitsInEveryOtherTurnPastItsCap_whenItsHistoryIsPaged_thenTheNewestEventsInOrder() {
        // Long enough to leave the slot's fields, past the cap, and trimmed at every wait and at the end.
        MemoryInstanceStore store = new MemoryInstanceStore(Duration.ofDays(1), 40);
        WorkflowInstance current = TestInstances.runnable(NOW);
        List<WorkflowEvent> all = new ArrayList<>();
        WorkflowEvent started = new WorkflowEvent.WorkflowStarted(current.id(), current.definition(), current.revision(), NOW, null);
        store.create(current, List.of(started));
        all.add(started);
        java.time.Instant at = NOW;
        for (int turn = 1; turn <= 100; turn++) {
            at = at.plusMillis(turn * 700L);
            boolean last = turn == 100;
            WorkflowInstance next = last ? finish(current, at) : new WorkflowInstance(current.id(), current.definition(),
                    WorkflowStatus.RUNNABLE, Map.of("turn", turn), current.pointers(), current.nextPointerId(), turn % 2 == 0 ? null : at,
                    current.revision() + 1, null, current.createdAt(), at, null, null, List.of());
            List<WorkflowEvent> changes = new ArrayList<>(List.of(new WorkflowEvent.StepCompleted(next.id(), next.definition(), next.revision(), at, "Turn", turn)));
            if (turn % 2 == 0) changes.add(new WorkflowEvent.EventAwaited(next.id(), next.definition(), next.revision(), at, "Wait", turn, "go", "k" + turn, null));
            if (last) changes.add(new WorkflowEvent.WorkflowCompleted(next.id(), next.definition(), next.revision(), at));
            assertThat(store.save(next, current.revision(), changes)).isTrue();
            all.addAll(changes);
            current = next;
        }
        List<HistoryEntry> paged = new ArrayList<>();
        HistoryPage page;
        long after = -1;
        do {
            page = store.history(current.id(), after, 7).orElseThrow();
            paged.addAll(page.entries());
            if (page.next() != null) after = page.next();
        } while (page.next() != null);
        assertThat(paged).containsExactlyElementsOf(all.subList(all.size() - 40, all.size()).stream().map(HistoryEntry::of).toList());
        assertThat(page.dropped().count()).isEqualTo(all.size() - 40);
    }

    private static WorkflowInstance finish(WorkflowInstance i, java.time.Instant at) {
        return new WorkflowInstance(i.id(), i.definition(), WorkflowStatus.COMPLETE, Map.of(), List.of(), i.nextPointerId(), null,
                i.revision() + 1, i.reference(), i.createdAt(), at, at, null, List.of());
    }
}
