package net.reactory.workflow.adapter.amqp;

import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles the deliveries of one channel with as few frames as their order of completion allows. Commands finish out
 * of order, so a {@code basicAck(tag, multiple=true)} goes out only for the contiguous prefix of finished deliveries:
 * up to the newest finished one below the oldest unfinished. It goes out once {@code batch} deliveries wait in that
 * prefix, when nothing is in hand any more, or {@code linger} after the first of them finished, whichever comes
 * first. Nacks and rejects go out at once, one by one. When many finished deliveries wait behind one slow delivery,
 * they are acknowledged one by one, so that a slow command does not hold the whole prefetch window.
 * <p>
 * Every frame is written under one lock, in the order the decisions were taken: a multiple ack must never cover a
 * delivery nacked a moment before, and must name a tag the broker still holds unacknowledged.
 */
final class Acknowledgements implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Acknowledgements.class);

    /** The frames, as the channel sends them. */
    interface Wire {
        void ack(long tag, boolean multiple) throws IOException;

        void nack(long tag) throws IOException;

        void reject(long tag) throws IOException;
    }

    private enum State { IN_HAND, FINISHED }

    private final Wire wire;
    private final int batch;
    private final int maxBehind;
    private final long lingerNanos;
    private final ReentrantLock lock = new ReentrantLock();
    /** Deliveries not yet settled nor in the prefix, oldest first (tags grow with each delivery on the channel). */
    private final LinkedHashMap<Long, State> open = new LinkedHashMap<>();
    private final ScheduledExecutorService timer;
    /** The newest tag of the finished prefix not yet acknowledged; -1 when none. */
    private long prefixTag = -1;
    private int prefixCount;
    private int finishedBehind;
    private boolean flushScheduled;
    private long framesSent;

    /**
     * @param batch     finished deliveries acknowledged together
     * @param maxBehind finished deliveries allowed to wait behind an unfinished one before they are acknowledged one by one
     * @param lingerMs  longest wait of a finished delivery for its batch
     */
    Acknowledgements(Wire wire, int batch, int maxBehind, long lingerMs) {
        this.wire = wire;
        this.batch = Math.max(1, batch);
        this.maxBehind = Math.max(1, maxBehind);
        this.lingerNanos = TimeUnit.MILLISECONDS.toNanos(lingerMs);
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon(true).name("workflow-amqp-acks").factory());
    }

    /** For the channel's {@code prefetch}: batches of a quarter of it (at most 64), half of it allowed behind a slow one. */
    static Acknowledgements forPrefetch(Wire wire, int prefetch) {
        return new Acknowledgements(wire, Math.min(64, prefetch / 4), Math.max(1, prefetch / 2), 20);
    }

    /** A delivery arrived; call on the consumer's thread, in delivery order, before the delivery is handed on. */
    void delivered(long tag) {
        lock.lock();
        try {
            open.put(tag, State.IN_HAND);
        } finally {
            lock.unlock();
        }
    }

    /** The delivery's command is done: acknowledge it, soon, with the others of its batch. */
    void ack(long tag) {
        lock.lock();
        try {
            if (open.replace(tag, State.FINISHED) == null) return; // unknown: settled already
            finishedBehind++;
            advance();
            if (prefixCount >= batch || open.isEmpty()) {
                sendPrefix();
            } else if (finishedBehind > maxBehind) {
                sendPrefix();
                sendBehindOneByOne();
            } else if (prefixCount > 0 && !flushScheduled) {
                if (timer.isShutdown()) {
                    sendPrefix(); // closing: no batching any more
                } else {
                    flushScheduled = true;
                    timer.schedule(this::flush, lingerNanos, TimeUnit.NANOSECONDS);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Hands the delivery back to the queue, at once. */
    void nack(long tag) {
        settleNow(tag, true);
    }

    /** Rejects the delivery to the queue's dead-letter route, at once. */
    void reject(long tag) {
        settleNow(tag, false);
    }

    private void settleNow(long tag, boolean requeue) {
        lock.lock();
        try {
            if (open.remove(tag) == null) return;
            try {
                if (requeue) wire.nack(tag);
                else wire.reject(tag);
                framesSent++;
            } catch (IOException | RuntimeException e) {
                // The channel went down: the broker redelivers the command anyway.
                log.debug("{} of delivery {} failed: {}", requeue ? "nack" : "reject", tag, e.toString());
            }
            advance();
            if (open.isEmpty()) sendPrefix();
        } finally {
            lock.unlock();
        }
    }

    /** Sends the acknowledgement of the finished prefix now, if there is one. */
    void flush() {
        lock.lock();
        try {
            flushScheduled = false;
            sendPrefix();
        } finally {
            lock.unlock();
        }
    }

    /** Deliveries not yet acknowledged nor settled, for tests and shutdown logs. */
    int unsettled() {
        lock.lock();
        try {
            return open.size() + prefixCount;
        } finally {
            lock.unlock();
        }
    }

    /** Frames sent so far (acks, nacks, rejects). */
    long framesSent() {
        lock.lock();
        try {
            return framesSent;
        } finally {
            lock.unlock();
        }
    }

    /** Moves the finished deliveries at the head of {@link #open} into the prefix. */
    private void advance() {
        Iterator<Map.Entry<Long, State>> it = open.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, State> head = it.next();
            if (head.getValue() != State.FINISHED) break;
            prefixTag = head.getKey();
            prefixCount++;
            finishedBehind--;
            it.remove();
        }
    }

    private void sendPrefix() {
        if (prefixCount == 0) return;
        long tag = prefixTag;
        prefixTag = -1;
        prefixCount = 0;
        send(tag, true);
    }

    private void sendBehindOneByOne() {
        for (Iterator<Map.Entry<Long, State>> it = open.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, State> e = it.next();
            if (e.getValue() == State.FINISHED) {
                it.remove();
                send(e.getKey(), false);
            }
        }
        finishedBehind = 0;
    }

    private void send(long tag, boolean multiple) {
        try {
            wire.ack(tag, multiple);
            framesSent++;
        } catch (IOException | RuntimeException e) {
            // The channel went down: the broker redelivers the commands, and a start is idempotent by its message id.
            log.debug("ack of delivery {} (multiple {}) failed: {}", tag, multiple, e.toString());
        }
    }

    /** Sends what is finished and stops the timer. */
    @Override
    public void close() {
        flush();
        timer.shutdownNow();
    }
}
