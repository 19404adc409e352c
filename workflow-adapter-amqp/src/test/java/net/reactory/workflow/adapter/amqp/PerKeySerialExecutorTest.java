package net.reactory.workflow.adapter.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PerKeySerialExecutorTest {

    private final PerKeySerialExecutor executor = new PerKeySerialExecutor("test-serial-");

    @AfterEach
    void shutDown() {
        executor.shutdownNow();
    }

    @Test
    void givenTasksOnOneKey_whenTheFirstIsHeld_thenTheOthersWaitAndAllRunInOrder() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> ran = new CopyOnWriteArrayList<>();
        executor.execute("i-1", () -> {
            await(release);
            ran.add(1);
        });
        for (int i = 2; i <= 50; i++) {
            int n = i;
            executor.execute("i-1", () -> ran.add(n));
        }

        assertThat(executor.awaitIdle(Duration.ofMillis(200))).as("held by the first task").isFalse();
        assertThat(ran).isEmpty();
        release.countDown();

        assertThat(executor.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(ran).containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 50).boxed().toList());
    }

    @Test
    void givenATaskHeldOnOneKey_whenOthersComeWithAnotherKeyOrNone_thenTheyRunMeanwhile() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch others = new CountDownLatch(2);
        executor.execute("i-1", () -> await(release));
        executor.execute("i-2", others::countDown);
        executor.execute(null, others::countDown);

        assertThat(others.await(10, TimeUnit.SECONDS)).isTrue();
        release.countDown();
        assertThat(executor.awaitIdle(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void givenAFailingTask_whenTheNextOnTheSameKeyComes_thenItStillRuns() throws Exception {
        CountDownLatch next = new CountDownLatch(1);
        executor.execute("i-1", () -> {
            throw new IllegalStateException("boom (expected in this test)");
        });
        executor.execute("i-1", next::countDown);

        assertThat(next.await(10, TimeUnit.SECONDS)).isTrue();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
