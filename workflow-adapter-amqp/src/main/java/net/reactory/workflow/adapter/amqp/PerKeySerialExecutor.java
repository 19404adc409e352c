package net.reactory.workflow.adapter.amqp;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each task on its own virtual thread; tasks given the same key run one after the other, in the order they
 * were given, and tasks without a key run at once. Commands on one instance keep their delivery order this way,
 * while starts run in parallel.
 */
final class PerKeySerialExecutor {

    private static final Logger log = LoggerFactory.getLogger(PerKeySerialExecutor.class);

    private final ExecutorService threads;
    /** Per key, the completion of the last task given: the next one with that key starts after it. */
    private final Map<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object idle = new Object();

    PerKeySerialExecutor(String threadName) {
        this.threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(threadName, 0).factory());
    }

    /** Runs {@code task}, after the tasks given earlier with the same {@code key}; {@code null}: no order to keep. */
    void execute(String key, Runnable task) {
        inFlight.incrementAndGet();
        Runnable tracked = () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("command handling failed unexpectedly: {}", e.toString(), e);
            } finally {
                if (inFlight.decrementAndGet() == 0) {
                    synchronized (idle) {
                        idle.notifyAll();
                    }
                }
            }
        };
        if (key == null) {
            threads.execute(tracked);
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<Void> before = tails.put(key, done);
        Runnable chained = () -> {
            try {
                tracked.run();
            } finally {
                tails.remove(key, done);
                done.complete(null);
            }
        };
        if (before == null) threads.execute(chained);
        else before.whenComplete((ok, error) -> threads.execute(chained));
    }

    /** Waits until no task is running or waiting, up to {@code timeout}; false when some still are. */
    boolean awaitIdle(Duration timeout) {
        // A deadline, so monotonic time: a wall-clock jump must not cut the wait short or stretch it.
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                try {
                    idle.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return inFlight.get() == 0;
    }

    /** Interrupts what still runs; tasks not started are dropped. */
    void shutdownNow() {
        threads.shutdownNow();
    }
}
