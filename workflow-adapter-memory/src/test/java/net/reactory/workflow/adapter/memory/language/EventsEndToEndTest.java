package net.reactory.workflow.adapter.memory.language;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.application.port.out.PublishedEvent;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.language.WorkflowBuilder;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/** External events end to end: many waits, events before the wait, the same event twice. */
class EventsEndToEndTest extends LanguageFixture {

    record Order(String id, Object payment) {
        Order paid(Object by) {
            return new Order(id, by);
        }
    }

    private final Map<String, AtomicInteger> resumed = new ConcurrentHashMap<>();

    private Workflow orders() {
        return WorkflowBuilder.define("e2e", "Order", "1.0.0", Order.class)
                .waitFor("paid", "order.paid", Order::id, Order::paid)
                .then("count", (o, ctx) -> {
                    resumed.computeIfAbsent(o.id(), k -> new AtomicInteger()).incrementAndGet();
                    return ExecutionResult.next();
                })
                .build();
    }

    @Test
    void given10000InstancesWaitingOnDistinctKeys_when10000EventsPublished_thenEachResumedExactlyOnce() {
        WorkflowRunnerService runner = runner(orders());
        int n = 10_000;
        List<String> ids = new ArrayList<>(n);
        List<CompletableFuture<String>> starts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) starts.add(runner.startWorkflow("e2e.Order", null, new Order("o-" + i, null)));
        for (CompletableFuture<String> s : starts) ids.add(s.join());
        await().atMost(WAIT).until(() -> changes.stream().filter(e -> e instanceof WorkflowEvent.EventAwaited).count() == n);

        long began = System.nanoTime();
        List<CompletableFuture<String>> published = new ArrayList<>(n);
        for (int i = 0; i < n; i++) published.add(runner.publishEvent("order.paid", "o-" + i, "payment-" + i, null));
        published.forEach(CompletableFuture::join);
        for (String id : ids) awaitFinished(runner, id);
        double seconds = (System.nanoTime() - began) / 1e9;

        assertThat(resumed).hasSize(n);
        assertThat(resumed.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
        assertThat(changes.stream().filter(e -> e instanceof WorkflowEvent.EventReceived).count()).isEqualTo(n);
        WorkflowInstance one = stored(ids.get(1234));
        assertThat(((Order) one.data()).payment()).isEqualTo("payment-1234");
        assertThat(events.subscriptionsFor("order.paid", "o-1234", clock.instant())).isEmpty();
        System.out.printf("10,000 events resumed 10,000 waiting instances in %.2f s (%.0f events/s)%n", seconds, n / seconds);
    }

    @Test
    void givenEventPublishedBeforeTheWait_whenTheWaitBegins_thenTheEventIsDelivered() {
        CountDownLatch gate = new CountDownLatch(1);
        Workflow late = WorkflowBuilder.define("e2e", "Late", "1.0.0", Order.class)
                .startWith("slow", (o, ctx) -> {
                    gate.await(30, TimeUnit.SECONDS);
                    return ExecutionResult.next();
                })
                .waitFor("paid", "order.paid", Order::id, Order::paid)
                .build();
        WorkflowRunnerService runner = runner(late);
        String id = start(runner, "e2e.Late", new Order("early", null));

        runner.publishEvent("order.paid", "early", "cash", null).join();
        gate.countDown();

        WorkflowInstance done = awaitFinished(runner, id);
        assertThat(((Order) done.data()).payment()).isEqualTo("cash");
    }

    @Test
    void givenSameEventIdPublishedTwice_whenTwoInstancesWaitOneAfterTheOther_thenOnlyOneResumes() {
        WorkflowRunnerService runner = runner(orders());
        String first = start(runner, "e2e.Order", new Order("same", null));
        awaitParked(first);

        runner.publishEvent("evt-1", "order.paid", "same", "once", null).join();
        runner.publishEvent("evt-1", "order.paid", "same", "twice", null).join();
        awaitFinished(runner, first);
        String second = start(runner, "e2e.Order", new Order("same", null));

        WorkflowInstance parked = awaitParked(second);
        assertThat(parked.pointers()).singleElement().satisfies(p -> assertThat(p.isWaiting()).isTrue());
        assertThat(resumed.get("same").get()).isEqualTo(1);
        assertThat(((Order) stored(first).data()).payment()).isEqualTo("once");
        assertThat(changesOf(first, WorkflowEvent.EventReceived.class)).hasSize(1);
    }

    @Test
    void givenEventStoredByANodeThatDiedBeforeHandingItOver_whenTheSameIdIsPublishedAgain_thenTheWaitTakesItOnce() {
        WorkflowRunnerService runner = runner(orders());
        String id = start(runner, "e2e.Order", new Order("lost", null));
        awaitParked(id);
        // What a node leaves when it dies between storing the event and resuming the wait: the event, still pending.
        events.append(new PublishedEvent("evt-lost", "order.paid", "lost", "card", T0, T0));

        runner.publishEvent("evt-lost", "order.paid", "lost", "card", null).join();

        assertThat(((Order) awaitFinished(runner, id).data()).payment()).isEqualTo("card");
        assertThat(events.pendingEvents("order.paid", "lost", null)).isEmpty();
        runner.publishEvent("evt-lost", "order.paid", "lost", "again", null).join();
        assertThat(changesOf(id, WorkflowEvent.EventReceived.class)).hasSize(1);
        assertThat(resumed.get("lost").get()).isEqualTo(1);
    }

    @Test
    void givenWaitWithEffectiveDate_whenAnOlderEventIsPending_thenItIsNotTakenButANewerOneIs() {
        Workflow fromNow = WorkflowBuilder.define("e2e", "FromNow", "1.0.0", Order.class)
                .waitFor("paid", "order.paid", Order::id, o -> T0.plus(Duration.ofHours(1)), Order::paid)
                .build();
        WorkflowRunnerService runner = runner(fromNow);
        runner.publishEvent("order.paid", "k", "old", T0).join();
        String id = start(runner, "e2e.FromNow", new Order("k", null));
        awaitParked(id);

        runner.publishEvent("order.paid", "k", "new", T0.plus(Duration.ofHours(2))).join();

        assertThat(((Order) awaitFinished(runner, id).data()).payment()).isEqualTo("new");
        assertThat(stored(id).status()).isEqualTo(WorkflowStatus.COMPLETE);
    }

    @Test
    void givenWaitingInstanceTerminated_whenItsEventArrives_thenTheEventWaitsForTheNextInstance() {
        WorkflowRunnerService runner = runner(orders());
        String gone = start(runner, "e2e.Order", new Order("k", null));
        awaitParked(gone);
        runner.terminate(gone, "cancelled").join();
        assertThat(events.subscriptionsFor("order.paid", "k", clock.instant())).isEmpty();

        runner.publishEvent("order.paid", "k", "kept", null).join();
        String next = start(runner, "e2e.Order", new Order("k", null));

        assertThat(((Order) awaitFinished(runner, next).data()).payment()).isEqualTo("kept");
        assertThat(stored(gone).status()).isEqualTo(WorkflowStatus.TERMINATED);
    }

    @Test
    void givenEventWithoutKey_whenPublished_thenRefusedAtOnce() {
        WorkflowRunnerService runner = runner(orders());

        assertThatThrownBy(() -> runner.publishEvent("order.paid", null, null, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void givenAStepAfterTheWaitThatBlocks_whenTheEventIsPublished_thenThePublisherIsAnsweredBeforeTheStepEnds() throws Exception {
        CountDownLatch stepBegan = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Workflow slowAfter = WorkflowBuilder.define("e2e", "SlowAfter", "1.0.0", Order.class)
                .waitFor("paid", "order.paid", Order::id, Order::paid)
                .then("ship", (o, ctx) -> {
                    stepBegan.countDown();
                    release.await(30, TimeUnit.SECONDS);
                    return ExecutionResult.next();
                })
                .build();
        WorkflowRunnerService runner = runner(slowAfter);
        String id = runner.startWorkflow("e2e.SlowAfter", null, new Order("o-slow", null)).join();
        await().atMost(WAIT).until(() -> changes.stream().anyMatch(e -> e instanceof WorkflowEvent.EventAwaited));

        CompletableFuture<String> published = runner.publishEvent("order.paid", "o-slow", "card", null);

        // The resumed run goes on on the publishing thread, but only once the publisher has its answer.
        assertThat(published.get(10, TimeUnit.SECONDS)).isNotBlank();
        assertThat(stepBegan.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(stored(id).status()).isEqualTo(WorkflowStatus.RUNNABLE);
        release.countDown();
        assertThat(awaitFinished(runner, id).status()).isEqualTo(WorkflowStatus.COMPLETE);
    }

    @Test
    void givenTwoInstancesWaitingOnOneKey_whenOneEventResumesBoth_thenTheirStepsRunAtTheSameTime() {
        CountDownLatch both = new CountDownLatch(2);
        Workflow meet = WorkflowBuilder.define("e2e", "Meet", "1.0.0", Order.class)
                .waitFor("paid", "order.paid", Order::id, Order::paid)
                .then("meet", (o, ctx) -> {
                    both.countDown();
                    // Each waits for the other: they finish only if neither runs after the other on one thread.
                    return both.await(30, TimeUnit.SECONDS) ? ExecutionResult.next() : ExecutionResult.fail("Alone", "the other never ran");
                })
                .build();
        WorkflowRunnerService runner = runner(meet);
        String first = runner.startWorkflow("e2e.Meet", null, new Order("o-shared", null)).join();
        String second = runner.startWorkflow("e2e.Meet", null, new Order("o-shared", null)).join();
        await().atMost(WAIT).until(() -> changes.stream().filter(e -> e instanceof WorkflowEvent.EventAwaited).count() == 2);

        runner.publishEvent("order.paid", "o-shared", "card", null).join();

        assertThat(awaitFinished(runner, first).status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(awaitFinished(runner, second).status()).isEqualTo(WorkflowStatus.COMPLETE);
    }
}
