package net.reactory.workflow.adapter.amqp;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.rabbitmq.client.AMQP;

import net.reactory.workflow.application.port.in.LogSafe;

/**
 * Another attempt for a command that failed for a passing reason (the store away, a timeout): after a backoff that
 * doubles per attempt, the command goes back to the tail of the command queue with its attempt count, in the
 * {@link AmqpNames#ATTEMPT_HEADER} header, raised. After {@link AmqpConfig#maxAttempts()} it is exhausted, for the
 * consumer to dead-letter.
 */
final class CommandRetries {

    private static final Logger log = LoggerFactory.getLogger(CommandRetries.class);
    private static final long MAX_BACKOFF_MILLIS = 5000;

    private final AmqpConnector connector;

    CommandRetries(AmqpConnector connector) {
        this.connector = Objects.requireNonNull(connector, "connector");
    }

    /** Which attempt this delivery is, counting from 1. */
    static int attemptOf(Delivery delivery) {
        Map<String, Object> headers = delivery.props().getHeaders();
        Object value = headers == null ? null : headers.get(AmqpNames.ATTEMPT_HEADER);
        return value instanceof Number n ? Math.max(1, n.intValue()) : 1;
    }

    /** Whether the delivery used up its attempts. */
    boolean exhausted(Delivery delivery) {
        return attemptOf(delivery) >= connector.config().maxAttempts();
    }

    /**
     * Waits out the backoff, then republishes the command for its next attempt; true once the broker confirmed it
     * (acknowledge the delivery), false when not (hand it back to the broker).
     */
    boolean republish(Delivery delivery, Throwable cause) {
        AMQP.BasicProperties p = delivery.props();
        int attempt = attemptOf(delivery);
        log.warn("command {} (message id {}) failed on attempt {}: {}; retrying", LogSafe.of(p.getType()), LogSafe.of(p.getMessageId()), attempt,
                LogSafe.of(cause));
        try {
            Thread.sleep(Math.min(MAX_BACKOFF_MILLIS, connector.config().retryBackoff().toMillis() << Math.min(attempt - 1, 10)));
            Map<String, Object> headers = new HashMap<>(p.getHeaders() == null ? Map.of() : p.getHeaders());
            headers.put(AmqpNames.ATTEMPT_HEADER, attempt + 1);
            connector.publisher().publish("", connector.names().commands(), p.builder().headers(headers).build(), delivery.body())
                    .get(CommandHandler.EFFECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }
}
