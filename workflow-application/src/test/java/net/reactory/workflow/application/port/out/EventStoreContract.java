package net.reactory.workflow.application.port.out;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link EventStore}: every adapter subclasses this once and passes it unchanged.
 */
public abstract class EventStoreContract {

    protected static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");

    protected EventStore store;

    /** A store with nothing in it. */
    protected abstract EventStore newStore();

    @BeforeEach
    void createStore() {
        store = newStore();
    }

    private static PublishedEvent event(String id, String name, String key, Instant effectiveAt) {
        return new PublishedEvent(id, name, key, Map.of("id", id), effectiveAt, T0);
    }

    private static EventSubscription wait(String id, String name, String key, Instant since) {
        return new EventSubscription("instance-" + id, 7, name, key, since, T0);
    }

    @Test
    void givenNewEvent_whenAppended_thenStoredAndPending() {
        PublishedEvent e = event("e1", "order.paid", "42", T0);

        assertThat(store.append(e)).isTrue();

        assertThat(store.pendingEvents("order.paid", "42", null)).containsExactly(e);
    }

    @Test
    void givenEventWithItsPublishersTraceContext_whenPending_thenItComesBackWithIt() {
        Map<String, String> context = Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        PublishedEvent traced = new PublishedEvent("t1", "order.paid", "43", "paid", T0, T0, context);

        assertThat(store.append(traced)).isTrue();

        assertThat(store.pendingEvents("order.paid", "43", null)).singleElement()
                .satisfies(e -> assertThat(e.traceContext()).isEqualTo(context));
        assertThat(event("t2", "order.paid", "44", T0).traceContext()).isEmpty();
    }

    @Test
    void givenEventStored_whenSameIdAppendedAgain_thenRefusedAndFirstKept() {
        PublishedEvent first = event("e1", "order.paid", "42", T0);
        store.append(first);

        boolean again = store.append(new PublishedEvent("e1", "order.paid", "42", "other", T0.plusSeconds(5), T0));

        assertThat(again).isFalse();
        assertThat(store.pendingEvents("order.paid", "42", null)).containsExactly(first);
    }

    @Test
    void givenEventsOfSeveralKeys_whenPendingAsked_thenOnlyNameAndKeyMatchInEffectiveOrder() {
        PublishedEvent late = event("b", "order.paid", "42", T0.plusSeconds(20));
        PublishedEvent early = event("a", "order.paid", "42", T0.plusSeconds(10));
        store.append(late);
        store.append(early);
        store.append(event("c", "order.paid", "43", T0));
        store.append(event("d", "order.shipped", "42", T0));

        assertThat(store.pendingEvents("order.paid", "42", null)).containsExactly(early, late);
        assertThat(store.pendingEvents("order.paid", "42", T0.plusSeconds(15))).containsExactly(late);
        assertThat(store.pendingEvents("order.paid", "42", T0.plusSeconds(20))).containsExactly(late);
        assertThat(store.pendingEvents("order.paid", "44", null)).isEmpty();
    }

    @Test
    void givenPendingEvent_whenMarkedDelivered_thenNoLongerPendingAndSecondMarkRefused() {
        store.append(event("e1", "order.paid", "42", T0));

        assertThat(store.markDelivered("e1")).isTrue();

        assertThat(store.markDelivered("e1")).isFalse();
        assertThat(store.pendingEvents("order.paid", "42", null)).isEmpty();
        assertThat(store.append(event("e1", "order.paid", "42", T0))).as("a delivered id is remembered").isFalse();
        assertThat(store.pendingEvents("order.paid", "42", null)).isEmpty();
    }

    @Test
    void givenPendingEvents_whenOneIsMarkedDeliveredByTheEvent_thenOnlyItIsConsumedAndOnlyOnce() {
        PublishedEvent paid = event("e1", "order.paid", "42", T0);
        store.append(paid);
        store.append(event("e2", "order.paid", "42", T0.plusSeconds(1)));

        assertThat(store.markDelivered(paid)).isTrue();

        assertThat(store.markDelivered(paid)).isFalse();
        assertThat(store.markDelivered("e1")).isFalse();
        assertThat(store.pendingEvents("order.paid", "42", null)).extracting(PublishedEvent::id).containsExactly("e2");
        assertThat(store.append(paid)).as("a delivered id is remembered").isFalse();
        assertThat(store.purgeDeliveredBefore(T0.plusSeconds(1))).as("delivered, so purged; e2 is still pending").isEqualTo(1);
    }

    @Test
    void givenAnEventPendingUnderOneKey_whenACopyNamingAnotherKeyIsMarkedDelivered_thenTheStoredOneIsConsumed() {
        store.append(event("e1", "order.paid", "42", T0));

        assertThat(store.markDelivered(event("e1", "order.paid", "43", T0))).isTrue();

        assertThat(store.pendingEvents("order.paid", "42", null)).isEmpty();
        assertThat(store.markDelivered("e1")).isFalse();
    }

    @Test
    void givenUnknownEvent_whenMarkedDeliveredByTheEvent_thenRefused() {
        assertThat(store.markDelivered(event("nope", "order.paid", "42", T0))).isFalse();
    }

    @Test
    void givenUnknownEvent_whenMarkedDelivered_thenRefused() {
        assertThat(store.markDelivered("nope")).isFalse();
    }

    @Test
    void givenWaits_whenSubscriptionsAsked_thenNameKeyAndSinceMatch() {
        EventSubscription any = wait("s1", "order.paid", "42", null);
        EventSubscription fromTen = wait("s2", "order.paid", "42", T0.plusSeconds(10));
        store.subscribe(any);
        store.subscribe(fromTen);
        store.subscribe(wait("s3", "order.paid", "43", null));
        store.subscribe(wait("s4", "order.shipped", "42", null));

        assertThat(store.subscriptionsFor("order.paid", "42", T0)).containsExactly(any);
        assertThat(store.subscriptionsFor("order.paid", "42", T0.plusSeconds(10))).containsExactlyInAnyOrder(any, fromTen);
        assertThat(store.subscriptionsFor("order.paid", "44", T0)).isEmpty();
    }

    @Test
    void givenWait_whenSubscribedTwice_thenStoredOnce() {
        EventSubscription s = wait("s1", "order.paid", "42", null);

        store.subscribe(s);
        store.subscribe(s);

        assertThat(store.subscriptionsFor("order.paid", "42", T0)).containsExactly(s);
    }

    @Test
    void givenWait_whenSamePointerSubscribesAgainOnAnotherKey_thenTheNewWaitReplacesTheOld() {
        EventSubscription first = new EventSubscription("instance-1", 7, "order.paid", "42", null, T0);
        EventSubscription again = new EventSubscription("instance-1", 7, "order.paid", "43", T0.plusSeconds(1), T0.plusSeconds(1));
        store.subscribe(first);

        store.subscribe(again);

        assertThat(store.subscriptionsFor("order.paid", "42", T0.plusSeconds(5))).as("the key the step no longer computes").isEmpty();
        assertThat(store.subscriptionsFor("order.paid", "43", T0.plusSeconds(5))).containsExactly(again);
    }

    @Test
    void givenWait_whenSamePointerSubscribesAgainOnAnotherName_thenTheNewWaitReplacesTheOld() {
        EventSubscription first = new EventSubscription("instance-1", 7, "order.paid", "42", null, T0);
        EventSubscription again = new EventSubscription("instance-1", 7, "order.shipped", "42", null, T0.plusSeconds(1));
        store.subscribe(first);

        store.subscribe(again);

        assertThat(store.subscriptionsFor("order.paid", "42", T0)).isEmpty();
        assertThat(store.subscriptionsFor("order.shipped", "42", T0)).containsExactly(again);
    }

    @Test
    void givenWait_whenSubscribedAgainWithAnotherSince_thenTheNewSinceCounts() {
        store.subscribe(new EventSubscription("instance-1", 7, "order.paid", "42", null, T0));
        EventSubscription again = new EventSubscription("instance-1", 7, "order.paid", "42", T0.plusSeconds(10), T0.plusSeconds(1));

        store.subscribe(again);

        assertThat(store.subscriptionsFor("order.paid", "42", T0)).isEmpty();
        assertThat(store.subscriptionsFor("order.paid", "42", T0.plusSeconds(10))).containsExactly(again);
    }

    @Test
    void givenReplacedWait_whenTheOldRegistrationIsRemoved_thenRefusedAndTheNewOneStays() {
        EventSubscription first = new EventSubscription("instance-1", 7, "order.paid", "42", null, T0);
        EventSubscription again = new EventSubscription("instance-1", 7, "order.paid", "43", null, T0.plusSeconds(1));
        EventSubscription otherPointer = new EventSubscription("instance-1", 8, "order.paid", "42", null, T0);
        store.subscribe(first);
        store.subscribe(otherPointer);
        store.subscribe(again);

        assertThat(store.removeSubscription(first)).as("a deliverer holding the old registration consumes nothing").isFalse();

        assertThat(store.subscriptionsFor("order.paid", "43", T0)).containsExactly(again);
        assertThat(store.subscriptionsFor("order.paid", "42", T0)).containsExactly(otherPointer);
        assertThat(store.removeSubscription(again)).isTrue();
        assertThat(store.subscriptionsFor("order.paid", "43", T0)).isEmpty();
    }

    @Test
    void givenWait_whenRemoved_thenGoneAndSecondRemoveRefused() {
        EventSubscription s1 = wait("s1", "order.paid", "42", null);
        EventSubscription s2 = wait("s2", "order.paid", "42", null);
        store.subscribe(s1);
        store.subscribe(s2);

        assertThat(store.removeSubscription(s1)).isTrue();

        assertThat(store.removeSubscription(s1)).isFalse();
        assertThat(store.subscriptionsFor("order.paid", "42", T0)).containsExactly(s2);
        assertThat(store.removeSubscription(wait("never", "order.paid", "42", null))).isFalse();
    }

    @Test
    void givenOneWaitAndOneEvent_whenManyThreadsConsumeBoth_thenEachConsumedExactlyOnce() throws Exception {
        EventSubscription s1 = wait("s1", "order.paid", "42", null);
        PublishedEvent e1 = event("e1", "order.paid", "42", T0);
        store.subscribe(s1);
        store.append(e1);
        int threads = 8;
        CyclicBarrier barrier = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<int[]>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                // Half by the id, half by the event: the two ways of marking it make one winner between them.
                boolean byId = t % 2 == 0;
                Callable<int[]> race = () -> {
                    barrier.await();
                    boolean marked = byId ? store.markDelivered("e1") : store.markDelivered(e1);
                    return new int[]{store.removeSubscription(s1) ? 1 : 0, marked ? 1 : 0};
                };
                results.add(pool.submit(race));
            }
            int subscriptions = 0;
            int events = 0;
            for (Future<int[]> f : results) {
                subscriptions += f.get()[0];
                events += f.get()[1];
            }
            assertThat(subscriptions).isEqualTo(1);
            assertThat(events).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void givenDeliveredAndPendingEvents_whenPurged_thenOnlyOldDeliveredOnesGo() {
        store.append(new PublishedEvent("old", "n", "k", null, T0, T0));
        store.append(new PublishedEvent("recent", "n", "k", null, T0, T0.plusSeconds(100)));
        store.append(new PublishedEvent("pending", "n", "k", null, T0, T0));
        store.markDelivered("old");
        store.markDelivered("recent");

        long purged = store.purgeDeliveredBefore(T0.plusSeconds(50));

        assertThat(purged).isEqualTo(1);
        assertThat(store.append(new PublishedEvent("old", "n", "k", null, T0, T0.plusSeconds(200)))).as("a purged id may be used again").isTrue();
        assertThat(store.append(new PublishedEvent("recent", "n", "k", null, T0, T0.plusSeconds(200)))).as("a kept id may not").isFalse();
        store.markDelivered("old");
        assertThat(store.pendingEvents("n", "k", null)).extracting(PublishedEvent::id).containsExactly("pending");
    }

    @Test
    void givenWaitsAndPendingEventsOnOneKey_whenSomeConsumed_thenTheOthersStayInOrder() {
        EventSubscription s1 = wait("s1", "order.paid", "42", null);
        EventSubscription s2 = wait("s2", "order.paid", "42", null);
        PublishedEvent late = event("late", "order.paid", "42", T0.plusSeconds(20));
        PublishedEvent early = event("early", "order.paid", "42", T0.plusSeconds(10));
        PublishedEvent middle = event("middle", "order.paid", "42", T0.plusSeconds(15));
        store.subscribe(s1);
        store.append(late);
        store.append(early);
        store.subscribe(s2);
        store.append(middle);

        assertThat(store.removeSubscription(s1)).isTrue();
        assertThat(store.markDelivered("middle")).isTrue();

        assertThat(store.subscriptionsFor("order.paid", "42", T0)).containsExactly(s2);
        assertThat(store.pendingEvents("order.paid", "42", null)).containsExactly(early, late);
        assertThat(store.removeSubscription(s2)).isTrue();
        assertThat(store.markDelivered("early")).isTrue();
        assertThat(store.markDelivered("late")).isTrue();
        assertThat(store.subscriptionsFor("order.paid", "42", T0)).isEmpty();
        assertThat(store.pendingEvents("order.paid", "42", null)).isEmpty();
        store.subscribe(s1);
        assertThat(store.subscriptionsFor("order.paid", "42", T0)).as("a key emptied and used again").containsExactly(s1);
    }
}
