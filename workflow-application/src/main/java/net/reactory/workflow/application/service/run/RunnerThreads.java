package net.reactory.workflow.application.service.run;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import net.reactory.workflow.application.port.in.RunnerNotInitializedException;

/**
 * The runner's threads: one virtual thread per run or command, and one platform thread for its timers. They
 * exist between {@code initialize()} and {@code stop()}; before and after, nothing is accepted and the callers
 * say so (a refused run leaves its instance to the poller of the next start, or to another node).
 */
public final class RunnerThreads {

    private volatile ExecutorService executor;
    private volatile ScheduledExecutorService timer;

    public void start() {
        executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("workflow-runner").factory());
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("workflow-poller").daemon(true).factory());
    }

    /** Runs {@code work} on a new virtual thread; false when the runner is not running (nothing was started). */
    boolean tryExecute(Runnable work) {
        ExecutorService e = executor;
        if (e == null) return false;
        try {
            e.execute(work);
            return true;
        } catch (RejectedExecutionException stopping) {
            return false;
        }
    }

    /** {@code work} on a virtual thread, as a future. @throws RunnerNotInitializedException naming {@code call} when not running */
    public <T> CompletableFuture<T> supply(String call, Supplier<T> work) {
        ExecutorService e = executor;
        if (e == null) throw new RunnerNotInitializedException(call);
        try {
            return CompletableFuture.supplyAsync(work, e);
        } catch (RejectedExecutionException stopped) {
            throw new RunnerNotInitializedException(call);
        }
    }

    /**
     * As {@link #supply}, then {@code after} on the same thread once the future is complete, whatever {@code work} did:
     * work that follows the answer without the caller waiting for it, on no thread of its own. The future fails as
     * {@code supplyAsync}'s would (with a {@link CompletionException} around what {@code work} threw).
     */
    public <T> CompletableFuture<T> supplyThen(String call, Supplier<T> work, Runnable after) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        boolean started = tryExecute(() -> {
            try {
                answer.complete(work.get());
            } catch (Throwable e) { // NOPMD: whatever the work throws is the caller's answer, as with supplyAsync
                answer.completeExceptionally(e instanceof CompletionException ? e : new CompletionException(e));
            } finally {
                after.run();
            }
        });
        if (!started) throw new RunnerNotInitializedException(call);
        return answer;
    }

    /** Runs {@code task} once on the timer after {@code delayMillis}; false when the timer has stopped. */
    public boolean schedule(Runnable task, long delayMillis) {
        ScheduledExecutorService t = timer;
        if (t == null || t.isShutdown()) return false;
        try {
            t.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
            return true;
        } catch (RejectedExecutionException stopping) {
            return false;
        }
    }

    /** Runs {@code task} on the timer every {@code periodMillis}, first after one period. */
    public void every(long periodMillis, Runnable task) {
        ScheduledExecutorService t = timer;
        if (t == null) return;
        try {
            t.scheduleWithFixedDelay(task, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // the next start schedules it again
        }
    }

    public ScheduledExecutorService timer() {
        return timer;
    }

    /** Stops the timers at once. */
    public void stopTimers() {
        ScheduledExecutorService t = timer;
        if (t != null) t.shutdownNow();
    }

    /** Takes no more work and waits up to {@code grace} for the runs in progress; false when some still run. */
    public boolean finishRuns(Duration grace) throws InterruptedException {
        ExecutorService e = executor;
        if (e == null) return true;
        e.shutdown();
        return e.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Interrupts the runs still in progress and waits a little for them to hand back their leases. */
    public void interruptRuns() throws InterruptedException {
        ExecutorService e = executor;
        if (e == null) return;
        e.shutdownNow();
        e.awaitTermination(5, TimeUnit.SECONDS);
    }

    /** Interrupts the runs still in progress, without waiting for them (the stopping thread was interrupted itself). */
    public void abandonRuns() {
        ExecutorService e = executor;
        if (e != null) e.shutdownNow();
    }

    public void awaitTimers() throws InterruptedException {
        ScheduledExecutorService t = timer;
        if (t != null) t.awaitTermination(5, TimeUnit.SECONDS);
    }
}
