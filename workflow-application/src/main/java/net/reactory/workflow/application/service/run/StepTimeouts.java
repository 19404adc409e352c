package net.reactory.workflow.application.service.run;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Interrupts a step's virtual thread when its attempt runs past its timeout. Only steps with a timeout
 * cost anything: one scheduled task each, cancelled when the body returns. The single timer thread is
 * made on first use.
 */
final class StepTimeouts {

    private static final int RUNNING = 0;
    private static final int DONE = 1;
    private static final int TIMED_OUT = 2;

    private volatile ScheduledThreadPoolExecutor scheduler;

    /** Arms a timeout for the body about to run on {@code thread}; call {@link Guard#finish()} once it returned. */
    Guard start(Thread thread, Duration timeout) {
        Guard guard = new Guard(thread);
        guard.task = scheduler().schedule(guard::expire, timeout.toNanos(), TimeUnit.NANOSECONDS);
        return guard;
    }

    private ScheduledThreadPoolExecutor scheduler() {
        ScheduledThreadPoolExecutor s = scheduler;
        if (s == null) {
            synchronized (this) {
                s = scheduler;
                if (s == null) {
                    s = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name("workflow-step-timeouts").daemon(true).factory());
                    s.setRemoveOnCancelPolicy(true);
                    scheduler = s;
                }
            }
        }
        return s;
    }

    /** Ends the timer thread; a later step with a timeout (after the runner is initialized again) makes a new one. */
    void close() {
        ScheduledThreadPoolExecutor s;
        synchronized (this) {
            s = scheduler;
            scheduler = null;
        }
        if (s != null) s.shutdownNow();
    }

    static final class Guard {
        private final Thread thread;
        private final AtomicInteger state = new AtomicInteger(RUNNING);
        private volatile ScheduledFuture<?> task;

        private Guard(Thread thread) {
            this.thread = thread;
        }

        private void expire() {
            synchronized (this) {
                if (state.compareAndSet(RUNNING, TIMED_OUT)) thread.interrupt();
            }
        }

        /**
         * Disarms the timeout; called on the step's thread once its body returned or threw.
         *
         * @return true when the timeout fired: the attempt failed, and the interrupt it caused is cleared
         */
        boolean finish() {
            if (state.compareAndSet(RUNNING, DONE)) {
                ScheduledFuture<?> t = task;
                if (t != null) t.cancel(false);
                return false;
            }
            synchronized (this) {
                // The interrupt was delivered inside expire(); clear it so the runner's own code goes on.
                Thread.interrupted();
            }
            return true;
        }
    }
}
