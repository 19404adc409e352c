package net.reactory.workflow.adapter.amqp;

import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;

import net.reactory.workflow.application.port.in.Refusal;
import net.reactory.workflow.application.port.in.WorkflowRunner;

/**
 * Consumes {@code <prefix>.commands} and drives the runner. A delivery is acknowledged only after its effect is
 * stored and its answers are confirmed by the broker ({@link CommandHandler}); bad input is dead-lettered to
 * {@code <prefix>.commands.dlq} with the reason in the {@link AmqpNames#REASON_HEADER} header ({@link DeadLetters});
 * a passing failure (store away, …) is retried a bounded number of times ({@link CommandRetries}), then dead-lettered
 * too. Commands on the same instance run in delivery order; starts run in parallel, up to the prefetch
 * ({@link PerKeySerialExecutor}). This class owns the channel: it takes deliveries and settles them (ack, nack, reject),
 * acknowledging finished commands in batches, {@code multiple} up to the oldest unfinished one ({@link Acknowledgements}).
 */
public final class AmqpCommandConsumer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AmqpCommandConsumer.class);
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(10);

    private final AmqpConnector connector;
    private final CommandParser parser;
    private final CommandHandler handler;
    private final DeadLetters deadLetters;
    private final CommandRetries retries;
    private final PerKeySerialExecutor executor = new PerKeySerialExecutor("workflow-amqp-command-");
    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private volatile Channel channel;
    private volatile Acknowledgements acks;
    private volatile String consumerTag;

    public AmqpCommandConsumer(AmqpConnector connector, WorkflowRunner runner) {
        this(connector, runner, InstantSource.system());
    }

    /** @param clock dates the announcements of starts and the dead letters */
    public AmqpCommandConsumer(AmqpConnector connector, WorkflowRunner runner, InstantSource clock) {
        this.connector = Objects.requireNonNull(connector, "connector");
        ObjectMapper json = new ObjectMapper();
        CommandReplies replies = new CommandReplies(connector, json, clock);
        this.parser = new CommandParser(json, connector.config().maxBodyBytes());
        this.handler = new CommandHandler(Objects.requireNonNull(runner, "runner"), replies);
        this.deadLetters = new DeadLetters(connector, replies, clock);
        this.retries = new CommandRetries(connector);
    }

    /** Declares the command queues and starts consuming. */
    public synchronized AmqpCommandConsumer start() throws IOException {
        if (channel != null) return this;
        Channel ch = connector.newConsumeChannel();
        connector.declareExchanges(ch);
        connector.declareCommandQueues(ch);
        ch.basicQos(connector.config().prefetch());
        channel = ch;
        acks = Acknowledgements.forPrefetch(new Acknowledgements.Wire() {
            @Override
            public void ack(long tag, boolean multiple) throws IOException {
                ch.basicAck(tag, multiple);
            }

            @Override
            public void nack(long tag) throws IOException {
                ch.basicNack(tag, false, true);
            }

            @Override
            public void reject(long tag) throws IOException {
                ch.basicReject(tag, false);
            }
        }, connector.config().prefetch());
        consumerTag = ch.basicConsume(connector.names().commands(), false, new DefaultConsumer(ch) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                dispatch(new Delivery(envelope.getDeliveryTag(), envelope.isRedeliver(), properties, body));
            }

            @Override
            public void handleCancel(String tag) {
                log.warn("the broker cancelled the command consumer on {} (was the queue deleted?)", connector.names().commands());
            }
        });
        log.info("consuming commands from {} (prefetch {})", connector.names().commands(), connector.config().prefetch());
        return this;
    }

    /** On the channel's thread: reads the command and hands it on, keyed by its instance to keep their order. */
    private void dispatch(Delivery delivery) {
        acks.delivered(delivery.tag());
        Command command;
        try {
            command = parser.parse(delivery.props(), delivery.body());
        } catch (BadCommandException e) {
            executor.execute(null, () -> deadLetter(delivery, null, e));
            return;
        }
        String key = switch (command) {
            case Command.Suspend c -> c.instanceId();
            case Command.Resume c -> c.instanceId();
            case Command.Terminate c -> c.instanceId();
            default -> null;
        };
        executor.execute(key, () -> run(delivery, command));
    }

    /** Carries out the command, then settles the delivery, whatever happened: never left unacknowledged. */
    private void run(Delivery delivery, Command command) {
        try {
            handler.handle(delivery, command);
            ack(delivery);
            processed.incrementAndGet();
        } catch (BadCommandException e) {
            deadLetter(delivery, command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            nack(delivery);
        } catch (Exception | Error e) { // NOPMD: whatever the runner throws, the delivery is settled, never left unacknowledged
            BadCommandException.ofRunnerFailure(e).ifPresentOrElse(
                    permanent -> deadLetter(delivery, command, permanent),
                    () -> retry(delivery, command, Refusal.unwrap(e)));
        }
    }

    private void deadLetter(Delivery delivery, Command command, BadCommandException reason) {
        switch (deadLetters.send(delivery, command, reason)) {
            case STORED -> ack(delivery);
            case NOT_STORED -> reject(delivery);
            case INTERRUPTED -> nack(delivery); // back to the queue, as when the channel closes
        }
    }

    private void retry(Delivery delivery, Command command, Throwable cause) {
        if (retries.exhausted(delivery)) {
            deadLetter(delivery, command, new BadCommandException(BadCommandException.RETRIES_EXHAUSTED,
                    "failed " + CommandRetries.attemptOf(delivery) + " times, last: " + cause));
            return;
        }
        if (retries.republish(delivery, cause)) {
            ack(delivery);
            retried.incrementAndGet();
        } else {
            nack(delivery);
        }
    }

    private void ack(Delivery delivery) {
        acks.ack(delivery.tag());
    }

    private void nack(Delivery delivery) {
        acks.nack(delivery.tag());
    }

    private void reject(Delivery delivery) {
        acks.reject(delivery.tag());
    }

    /** Commands acknowledged after their effect. */
    public long processed() {
        return processed.get();
    }

    /** Acks, nacks and rejects sent: far fewer than the commands settled, as finished commands are acknowledged in batches. */
    public long settlementFrames() {
        Acknowledgements a = acks;
        return a == null ? 0 : a.framesSent();
    }

    /** Commands republished for another attempt. */
    public long retried() {
        return retried.get();
    }

    /** Dead-lettered commands per reason. */
    public Map<String, Long> deadLettered() {
        return deadLetters.counts();
    }

    /** Stops taking commands, lets those in hand finish (up to ten seconds), then closes the channel; unacknowledged ones go back to the queue. */
    @Override
    public void close() {
        Channel ch = channel;
        if (ch == null) return;
        try {
            if (consumerTag != null && ch.isOpen()) ch.basicCancel(consumerTag);
        } catch (IOException | RuntimeException e) {
            log.debug("cancelling the command consumer failed: {}", e.toString());
        }
        executor.awaitIdle(CLOSE_GRACE);
        executor.shutdownNow();
        // The acknowledgements still waiting for their batch go out before the channel closes.
        acks.close();
        try {
            if (ch.isOpen()) ch.close();
        } catch (Exception e) {
            log.debug("closing the command channel failed: {}", e.toString());
        }
        log.info("stopped consuming commands from {}", connector.names().commands());
    }
}
