package net.reactory.workflow.adapter.amqp;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.rabbitmq.client.AMQP;

import net.reactory.workflow.application.port.in.LogSafe;
import net.reactory.workflow.application.port.in.Refusal;

/**
 * Sets a refused command aside in {@code <prefix>.commands.dlq}, as it was sent, with the reason in the
 * {@link AmqpNames#REASON_HEADER} header and the detail beside it, and answers the sender with the refusal.
 * Counts what it dead-lettered, per reason.
 */
final class DeadLetters {

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
    private static final int MAX_DETAIL = 1000;

    /** What became of a delivery handed to {@link #send}: what the consumer owes the broker for it. */
    enum Outcome {
        /** In the dead-letter queue, confirmed: acknowledge the delivery. */
        STORED,
        /** The dead-letter queue could not be reached: reject the delivery to the broker's own dead-letter route. */
        NOT_STORED,
        /** Interrupted while waiting for the confirm: leave the delivery to the broker, which redelivers it. */
        INTERRUPTED
    }

    private final AmqpConnector connector;
    private final CommandReplies replies;
    private final InstantSource clock;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    DeadLetters(AmqpConnector connector, CommandReplies replies, InstantSource clock) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.replies = Objects.requireNonNull(replies, "replies");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Dead-letters the delivery for {@code reason}; {@code command} is null when it could not even be read. */
    Outcome send(Delivery delivery, Command command, BadCommandException reason) {
        AMQP.BasicProperties p = delivery.props();
        Map<String, Object> headers = new HashMap<>(p.getHeaders() == null ? Map.of() : p.getHeaders());
        headers.put(AmqpNames.REASON_HEADER, reason.reason());
        headers.put(AmqpNames.DETAIL_HEADER, truncate(reason.getMessage()));
        headers.put("x-workflow-original-queue", connector.names().commands());
        headers.put("x-workflow-dead-lettered-at", clock.instant().toString());
        AMQP.BasicProperties props = p.builder().headers(headers).deliveryMode(2).build();
        List<CompletableFuture<Void>> confirms = new ArrayList<>(2);
        confirms.add(connector.publisher().publish("", connector.names().deadLetters(), props, delivery.body()));
        replies.reply(p, replies.refused(command == null ? p.getType() : command.type(), reason), confirms);
        log.info("dead-lettered command (type {}, message id {}): {}: {}", LogSafe.of(p.getType()), LogSafe.of(p.getMessageId()), reason.reason(),
                LogSafe.of(reason.getMessage()));
        Outcome outcome;
        try {
            confirms.get(0).get(CommandHandler.EFFECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            outcome = Outcome.STORED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.INTERRUPTED;
        } catch (ExecutionException | TimeoutException e) {
            // The broker's own dead-lettering keeps the message, without our reason header.
            log.warn("could not publish to {} ({}): rejecting the command to the broker's dead-letter route instead",
                    connector.names().deadLetters(), Refusal.unwrap(e).toString());
            outcome = Outcome.NOT_STORED;
        }
        counts.computeIfAbsent(reason.reason(), r -> new LongAdder()).increment();
        return outcome;
    }

    /** Dead-lettered commands per reason. */
    Map<String, Long> counts() {
        Map<String, Long> out = new HashMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    private static String truncate(String text) {
        if (text == null) return "";
        return text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL) + "…";
    }
}
