package net.reactory.workflow.bootstrap.amqp;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.InstantSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import net.reactory.workflow.adapter.amqp.AmqpCommandConsumer;
import net.reactory.workflow.adapter.amqp.AmqpConfig;
import net.reactory.workflow.adapter.amqp.AmqpConnector;
import net.reactory.workflow.adapter.amqp.AmqpLifecycleEventPublisher;
import net.reactory.workflow.adapter.amqp.AmqpWorkSignal;
import net.reactory.workflow.application.port.in.WorkflowRunner;

/**
 * The daemon's RabbitMQ side: one connector, the wake-up signal and the lifecycle event publisher the runner is
 * built with, and the command consumer, started once the runner is initialized and stopped before it stops.
 */
public final class AmqpBridge implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AmqpBridge.class);

    private final AmqpConnector connector;
    private final AmqpWorkSignal signal;
    private final AmqpLifecycleEventPublisher events;
    private final InstantSource clock;
    private AmqpCommandConsumer commands;

    private AmqpBridge(AmqpConnector connector, InstantSource clock) {
        this.connector = connector;
        this.clock = clock;
        this.signal = new AmqpWorkSignal(connector, nodeName());
        this.events = new AmqpLifecycleEventPublisher(connector);
    }

    /** Connects, retrying for {@link AmqpConfig#connectTimeout()}; throws when the broker stays unreachable. */
    public static AmqpBridge connect(AmqpConfig config, InstantSource clock) throws IOException {
        return new AmqpBridge(AmqpConnector.connect(config), clock);
    }

    private static String nodeName() {
        // "pid@host": unique per process; AmqpWorkSignal makes it "pid_host" in queue names (README: AMQP topology).
        return ManagementFactory.getRuntimeMXBean().getName();
    }

    public AmqpWorkSignal signal() {
        return signal;
    }

    public AmqpLifecycleEventPublisher events() {
        return events;
    }

    /**
     * For a store with its own outbox (MongoDB): publishes with a confirm per call and throws while the broker is
     * away, so the store keeps the events and relays them later, instead of the in-memory outbox of {@link #events()}.
     */
    public net.reactory.workflow.application.port.out.LifecycleEventPublisher storeOutboxPublisher() {
        return events.confirmingEach(java.time.Duration.ofSeconds(5));
    }

    public AmqpConnector connector() {
        return connector;
    }

    /** Starts taking commands from {@code <prefix>.commands} for the runner. */
    public synchronized void startConsuming(WorkflowRunner runner) throws IOException {
        if (commands != null) return;
        commands = new AmqpCommandConsumer(connector, runner, clock).start();
    }

    /** Stops taking commands; those in hand finish, unacknowledged ones go back to the queue for another node. */
    public synchronized void stopConsuming() {
        if (commands == null) return;
        commands.close();
        commands = null;
    }

    public synchronized AmqpCommandConsumer commands() {
        return commands;
    }

    /** Flushes the lifecycle events still waiting (up to five seconds) and disconnects. */
    @Override
    public void close() {
        stopConsuming();
        events.close();
        signal.close();
        connector.close();
        log.info("AMQP bridge closed");
    }
}
