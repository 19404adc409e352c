package net.reactory.workflow.adapter.amqp;

import java.io.IOException;
import java.time.Duration;
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
 * Publishes with publisher confirms on one channel: every publish returns a future completed when the
 * broker confirms it, exceptionally when the broker refuses it (nack), the channel goes down before the
 * confirm arrives, or no confirm arrives within the timeout. Callers republish what failed.
 */
public final class ConfirmingPublisher implements AutoCloseable {

    /** A publish that was not confirmed. */
    public static final class NotConfirmedException extends IOException {
        public NotConfirmedException(String message) {
            super(message);
        }
    }

    private final Channel channel;
    private final Duration timeout;
    private final ReentrantLock lock = new ReentrantLock();
    private final ConcurrentNavigableMap<Long, CompletableFuture<Void>> outstanding = new ConcurrentSkipListMap<>();
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
        CompletableFuture<Void> confirmed = new CompletableFuture<>();
        if (closed) {
            confirmed.completeExceptionally(new NotConfirmedException("the publisher is closed"));
            return confirmed;
        }
        lock.lock();
        try {
            long seq = channel.getNextPublishSeqNo();
            outstanding.put(seq, confirmed);
            try {
                channel.basicPublish(exchange, routingKey, false, properties, body);
            } catch (IOException | RuntimeException e) {
                outstanding.remove(seq);
                confirmed.completeExceptionally(e);
                return confirmed;
            }
        } finally {
            lock.unlock();
        }
        return confirmed.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void settle(long deliveryTag, boolean multiple, Exception failure) {
        Map<Long, CompletableFuture<Void>> settled = multiple ? outstanding.headMap(deliveryTag, true) : null;
        if (settled != null) {
            for (var it = settled.entrySet().iterator(); it.hasNext(); ) {
                var entry = it.next();
                it.remove();
                complete(entry.getValue(), failure);
            }
        } else {
            CompletableFuture<Void> one = outstanding.remove(deliveryTag);
            if (one != null) complete(one, failure);
        }
    }

    private static void complete(CompletableFuture<Void> future, Exception failure) {
        if (failure == null) future.complete(null);
        else future.completeExceptionally(failure);
    }

    private void failOutstanding(ShutdownSignalException cause) {
        lock.lock();
        try {
            NotConfirmedException failure = new NotConfirmedException("the channel closed before the broker confirmed: " + cause.getMessage());
            for (var it = outstanding.entrySet().iterator(); it.hasNext(); ) {
                var entry = it.next();
                it.remove();
                entry.getValue().completeExceptionally(failure);
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
