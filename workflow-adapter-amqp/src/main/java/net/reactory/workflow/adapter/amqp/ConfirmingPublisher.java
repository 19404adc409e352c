package net.reactory.workflow.adapter.amqp;

import java.io.IOException;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.ShutdownSignalException;

/**
 * Publishes with publisher confirms on one channel: every publish, or batch of publishes, returns one future
 * completed when the broker confirmed all of it, exceptionally when the broker refuses any of it (nack), the channel
 * goes down before the confirms arrive, or they do not arrive within the timeout. Callers republish what failed.
 * A batch costs one future and one timeout however many messages it holds, and the broker's confirms, which come
 * {@code multiple} for a run of messages, settle it in one step.
 */
public final class ConfirmingPublisher implements AutoCloseable {

    /** A publish that was not confirmed. */
    public static final class NotConfirmedException extends IOException {
        public NotConfirmedException(String message) {
            super(message);
        }
    }

    /** One message to publish. */
    public record Outgoing(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) {
    }

    /** Publishes of one call, sequence numbers {@code first} to {@code first + size - 1}, waiting for their confirms. */
    private static final class Pending {
        final long first;
        final int size;
        final CompletableFuture<Void> future = new CompletableFuture<>();
        private final BitSet confirmed;
        private int count;
        private Exception failure;

        Pending(long first, int size) {
            this.first = first;
            this.size = size;
            this.confirmed = new BitSet(size);
        }

        /** Marks the confirms of {@code from..to} (clipped to this batch); true once every message is settled. */
        synchronized boolean settle(long from, long to, Exception nack) {
            int lo = (int) Math.max(0, from - first);
            int hi = (int) Math.min(size - 1, to - first);
            if (lo > hi) return false;
            if (nack != null && failure == null) failure = nack;
            confirmed.set(lo, hi + 1);
            count = confirmed.cardinality();
            return count == size;
        }

        void complete() {
            Exception f;
            synchronized (this) {
                f = failure;
            }
            if (f == null) future.complete(null);
            else future.completeExceptionally(f);
        }
    }

    private final Channel channel;
    private final Duration timeout;
    private final ReentrantLock lock = new ReentrantLock();
    /** By the first sequence number of each batch. */
    private final ConcurrentNavigableMap<Long, Pending> outstanding = new ConcurrentSkipListMap<>();
    private volatile boolean closed;

    ConfirmingPublisher(Channel channel, Duration timeout) throws IOException {
        this.channel = channel;
        this.timeout = timeout;
        channel.confirmSelect();
        channel.addConfirmListener(new ConfirmListener() {
            @Override
            public void handleAck(long deliveryTag, boolean multiple) {
                settle(deliveryTag, multiple, null);
            }

            @Override
            public void handleNack(long deliveryTag, boolean multiple) {
                settle(deliveryTag, multiple, new NotConfirmedException("the broker refused the message (nack)"));
            }
        });
        // After a connection loss, sequence numbers start over on the recovered channel: whatever was not confirmed fails now.
        channel.addShutdownListener(this::failOutstanding);
    }

    /** Publishes and returns a future of the broker's confirm; never throws. */
    public CompletableFuture<Void> publish(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) {
        return publishAll(List.of(new Outgoing(exchange, routingKey, properties, body)));
    }

    /** Publishes {@code messages} in order, back to back, and returns one future of all their confirms; never throws. */
    public CompletableFuture<Void> publishAll(List<Outgoing> messages) {
        if (closed) return CompletableFuture.failedFuture(new NotConfirmedException("the publisher is closed"));
        if (messages.isEmpty()) return CompletableFuture.completedFuture(null);
        Pending pending;
        lock.lock();
        try {
            long first = channel.getNextPublishSeqNo();
            pending = new Pending(first, messages.size());
            outstanding.put(first, pending);
            try {
                for (Outgoing m : messages) {
                    channel.basicPublish(m.exchange(), m.routingKey(), false, m.properties(), m.body());
                }
            } catch (IOException | RuntimeException e) {
                outstanding.remove(first, pending);
                pending.future.completeExceptionally(e);
                return pending.future;
            }
        } finally {
            lock.unlock();
        }
        return pending.future.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** On the connection's thread; never takes the publish lock, which a publisher blocked by flow control may hold. */
    private void settle(long deliveryTag, boolean multiple, Exception failure) {
        if (multiple) {
            for (Pending p : outstanding.headMap(deliveryTag, true).values()) {
                if (p.settle(p.first, deliveryTag, failure) && outstanding.remove(p.first, p)) p.complete();
            }
        } else {
            Map.Entry<Long, Pending> entry = outstanding.floorEntry(deliveryTag);
            if (entry == null) return;
            Pending p = entry.getValue();
            if (p.settle(deliveryTag, deliveryTag, failure) && outstanding.remove(p.first, p)) p.complete();
        }
    }

    private void failOutstanding(ShutdownSignalException cause) {
        lock.lock();
        try {
            NotConfirmedException failure = new NotConfirmedException("the channel closed before the broker confirmed: " + cause.getMessage());
            for (var it = outstanding.entrySet().iterator(); it.hasNext(); ) {
                var entry = it.next();
                it.remove();
                entry.getValue().future.completeExceptionally(failure);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Publishes waiting for the confirm. */
    public void publishAndWait(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) throws IOException {
        try {
            publish(exchange, routingKey, properties, body).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a confirm", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            if (channel.isOpen()) channel.close();
        } catch (Exception ignored) {
            // The connection goes down next anyway.
        }
    }
}
