package net.reactory.workflow.application.port.out;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * The contract of {@link WorkSignal}: every adapter subclasses this once. A "node" is one runner
 * process's view of the cluster's work signal; {@link #newNode()} returns another node of the same cluster.
 */
public abstract class WorkSignalContract {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** A work signal of one more node in the same cluster as the ones returned before (in this test). */
    protected abstract WorkSignal newNode() throws Exception;

    @Test
    void givenSubscriberOnAnotherNode_whenSignalled_thenItHearsTheInstanceId() throws Exception {
        WorkSignal sender = newNode();
        WorkSignal receiver = newNode();
        List<String> heard = new CopyOnWriteArrayList<>();
        try (AutoCloseable ignored = receiver.subscribe(heard::add)) {
            String id = UUID.randomUUID().toString();

            sender.signal(id);

            await().atMost(TIMEOUT).until(() -> heard.contains(id));
        }
    }

    @Test
    void givenTwoSubscribedNodes_whenOneSignals_thenBothHearIt() throws Exception {
        WorkSignal first = newNode();
        WorkSignal second = newNode();
        List<String> firstHeard = new CopyOnWriteArrayList<>();
        List<String> secondHeard = new CopyOnWriteArrayList<>();
        try (AutoCloseable a = first.subscribe(firstHeard::add); AutoCloseable b = second.subscribe(secondHeard::add)) {
            String id = UUID.randomUUID().toString();

            first.signal(id);

            await().atMost(TIMEOUT).until(() -> firstHeard.contains(id) && secondHeard.contains(id));
        }
    }

    @Test
    void givenSubscriptionClosed_whenSignalled_thenTheClosedOneHearsNothingWhileOthersDo() throws Exception {
        WorkSignal closedNode = newNode();
        WorkSignal openNode = newNode();
        List<String> closedHeard = new CopyOnWriteArrayList<>();
        List<String> openHeard = new CopyOnWriteArrayList<>();
        AutoCloseable closing = closedNode.subscribe(closedHeard::add);
        try (AutoCloseable open = openNode.subscribe(openHeard::add)) {
            String before = UUID.randomUUID().toString();
            openNode.signal(before);
            await().atMost(TIMEOUT).until(() -> closedHeard.contains(before) && openHeard.contains(before));

            closing.close();
            String after = UUID.randomUUID().toString();
            openNode.signal(after);

            await().atMost(TIMEOUT).until(() -> openHeard.contains(after));
            assertThat(closedHeard).doesNotContain(after);
        }
    }

    @Test
    void givenHandlerThrows_whenSignalledAgain_thenTheNextSignalIsStillHeard() throws Exception {
        WorkSignal sender = newNode();
        WorkSignal receiver = newNode();
        AtomicInteger calls = new AtomicInteger();
        List<String> heard = new CopyOnWriteArrayList<>();
        try (AutoCloseable ignored = receiver.subscribe(id -> {
            heard.add(id);
            if (calls.incrementAndGet() == 1) throw new IllegalStateException("handler failure");
        })) {
            String first = UUID.randomUUID().toString();
            String second = UUID.randomUUID().toString();

            sender.signal(first);
            await().atMost(TIMEOUT).until(() -> heard.contains(first));
            sender.signal(second);

            await().atMost(TIMEOUT).until(() -> heard.contains(second));
        }
    }
}
