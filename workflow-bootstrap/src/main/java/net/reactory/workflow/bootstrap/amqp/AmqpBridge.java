package net.reactory.workflow.bootstrap.amqp;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.rabbitmq.client.AuthenticationFailureException;

import net.reactory.workflow.adapter.amqp.AmqpCommandConsumer;
import net.reactory.workflow.adapter.amqp.AmqpConfig;
import net.reactory.workflow.adapter.amqp.AmqpConnector;
import net.reactory.workflow.adapter.amqp.AmqpLifecycleEventPublisher;
import net.reactory.workflow.adapter.amqp.AmqpWorkSignal;
import net.reactory.workflow.application.port.in.WorkflowRunner;
import net.reactory.workflow.application.port.out.LifecycleEventPublisher;
import net.reactory.workflow.application.port.out.WorkSignal;
import net.reactory.workflow.domain.instance.WorkflowEvent;

/**
 * The daemon's RabbitMQ side: one connector, the wake-up signal and the lifecycle event publisher the runner is
 * built with, and the command consumer, started once the runner is initialized and stopped before it stops.
 *
 * <p>A broker away at start does not hold the daemon up (its admin API, its liveness): {@link #open} tries once, and
 * when the broker does not answer, connects in the background until it does. Until then the runner's work signal
 * drops wake-ups (they are hints; the poller finds the work), lifecycle events wait in a bounded buffer (or, with a
 * store that keeps an outbox, in the store), the command consumer starts on connection, and readiness says DOWN.
 * Refused credentials are no outage: they fail the start at once.
 */
public final class AmqpBridge implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AmqpBridge.class);

    /** The parts that need a connection, made once connected. */
    private record Connected(AmqpConnector connector, AmqpWorkSignal signal, AmqpLifecycleEventPublisher events) {
    }

    private final AmqpConfig config;
    private final InstantSource clock;
    private final String node = nodeName();
    private final AmqpWorkSignalOnceConnected signal = new AmqpWorkSignalOnceConnected();
    private final AmqpEventsOnceConnected events = new AmqpEventsOnceConnected();
    private final Instant since = Instant.now();
    private volatile Connected connected;
    private volatile String lastFailure = "not tried yet";
    private volatile boolean closed;
    private Thread connecting;
    private WorkflowRunner consumingFor;
    private AmqpCommandConsumer commands;

    private AmqpBridge(AmqpConfig config, InstantSource clock) {
        this.config = config;
        this.clock = clock;
    }

    /** Connects, retrying for {@link AmqpConfig#connectTimeout()}; throws when the broker stays unreachable. */
    public static AmqpBridge connect(AmqpConfig config, InstantSource clock) throws IOException {
        AmqpBridge bridge = new AmqpBridge(config, clock);
        bridge.connected(AmqpConnector.connect(config));
        return bridge;
    }

    /**
     * Tries once to connect; when the broker does not answer, returns at once and goes on connecting in the
     * background (each round retrying for {@link AmqpConfig#connectTimeout()}) until it answers or the bridge is closed.
     *
     * @throws IOException when the broker refused the credentials (its cause is the client's {@link AuthenticationFailureException})
     */
    public static AmqpBridge open(AmqpConfig config, InstantSource clock) throws IOException {
        AmqpBridge bridge = new AmqpBridge(config, clock);
        try {
            bridge.connected(AmqpConnector.connect(config.withConnectTimeout(Duration.ofMillis(1))));
        } catch (IOException e) {
            if (e.getCause() instanceof AuthenticationFailureException) throw e;
            bridge.lastFailure = describe(e);
            log.warn("RabbitMQ at {} does not answer at start ({}): the daemon runs, readiness is DOWN until it connects; connecting in the background",
                    config.redactedUri(), bridge.lastFailure);
            bridge.connectInBackground();
        }
        return bridge;
    }

    private void connectInBackground() {
        connecting = Thread.ofPlatform().name("workflow-amqp-connect").daemon(true).start(() -> {
            while (!closed && connected == null) {
                try {
                    connected(AmqpConnector.connect(config));
                } catch (IOException e) {
                    lastFailure = describe(e);
                    if (e.getCause() instanceof AuthenticationFailureException) {
                        log.error("RabbitMQ at {} refused the credentials: correct the user and password in WORKFLOW_AMQP_URI; no longer trying",
                                config.redactedUri());
                        return;
                    }
                } catch (RuntimeException e) {
                    lastFailure = describe(e);
                    log.warn("connecting to RabbitMQ at {} failed: {}", config.redactedUri(), lastFailure);
                }
            }
        });
    }

    private static String describe(Exception e) {
        Throwable why = e.getCause() == null ? e : e.getCause();
        return why.getClass().getSimpleName() + (why.getMessage() == null ? "" : ": " + why.getMessage());
    }

    /** Builds the connected parts and hands them what waited: subscriptions, buffered events, the command consumer. */
    private synchronized void connected(AmqpConnector connector) {
        if (closed) {
            connector.close();
            return;
        }
        Connected c = new Connected(connector, new AmqpWorkSignal(connector, node), new AmqpLifecycleEventPublisher(connector));
        connected = c;
        signal.connected(c.signal());
        events.connected(c.events());
        if (consumingFor != null) {
            try {
                commands = new AmqpCommandConsumer(connector, consumingFor, clock).start();
            } catch (IOException e) {
                log.error("connected to RabbitMQ at {} but could not consume commands: {}", config.redactedUri(), e.toString());
            }
        }
        if (connecting != null) log.info("connected to RabbitMQ at {} after a start without it", config.redactedUri());
    }

    private static String nodeName() {
        // "pid@host": unique per process; AmqpWorkSignal makes it "pid_host" in queue names (README: AMQP topology).
        return ManagementFactory.getRuntimeMXBean().getName();
    }

    /** The wake-up signal: the adapter's when connected at start, else one that drops wake-ups until connected. */
    public WorkSignal signal() {
        Connected c = connected;
        return c != null ? c.signal() : signal;
    }

    /** Lifecycle events to the topic exchange, buffered in this process while the broker is away (or not connected yet). */
    public LifecycleEventPublisher events() {
        Connected c = connected;
        return c != null ? c.events() : events;
    }

    /**
     * For a store with its own outbox (MongoDB): publishes with a confirm per call and throws while the broker is
     * away (or not connected yet), so the store keeps the events and relays them later, instead of the in-memory
     * outbox of {@link #events()}.
     */
    public LifecycleEventPublisher storeOutboxPublisher() {
        Map<AmqpLifecycleEventPublisher, LifecycleEventPublisher> confirming = new ConcurrentHashMap<>();
        return LifecycleEventPublisher.traced((published, traceContext) -> {
            Connected c = connected;
            if (c == null) {
                throw new IllegalStateException("RabbitMQ not connected yet: " + published.size() + " lifecycle events stay in the store's outbox");
            }
            confirming.computeIfAbsent(c.events(), e -> e.confirmingEach(Duration.ofSeconds(5))).publish(published, traceContext);
        });
    }

    /** Whether the broker is connected now (false before the first connection and while recovery runs). */
    public boolean isConnected() {
        Connected c = connected;
        return c != null && c.connector().isOpen();
    }

    /** Whether the daemon has ever been connected to the broker. */
    public boolean everConnected() {
        return connected != null;
    }

    /** For readiness: since when the bridge waits for its first connection, and why the last try failed. */
    public String notConnectedReason() {
        return "not connected to RabbitMQ at " + config.redactedUri() + " since " + since + " (" + lastFailure + "); connecting in the background";
    }

    public AmqpConnector connector() {
        Connected c = connected;
        if (c == null) throw new IllegalStateException(notConnectedReason());
        return c.connector();
    }

    /** Starts taking commands from {@code <prefix>.commands} for the runner: now, or once connected. */
    public synchronized void startConsuming(WorkflowRunner runner) throws IOException {
        if (commands != null || consumingFor != null) return;
        consumingFor = runner;
        Connected c = connected;
        if (c != null) commands = new AmqpCommandConsumer(c.connector(), runner, clock).start();
    }

    /** Stops taking commands; those in hand finish, unacknowledged ones go back to the queue for another node. */
    public synchronized void stopConsuming() {
        consumingFor = null;
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
        synchronized (this) {
            closed = true;
        }
        stopConsuming();
        if (connecting != null) connecting.interrupt();
        Connected c = connected;
        if (c != null) {
            c.events().close();
            c.signal().close();
            c.connector().close();
        } else if (events.buffered() > 0) {
            log.warn("{} lifecycle events never reached RabbitMQ at {}: it did not connect while this daemon ran", events.buffered(), config.redactedUri());
        }
        log.info("AMQP bridge closed");
    }

    /** The runner's work signal: drops wake-ups until connected (the pollers find the work), subscribes once connected. */
    private static final class AmqpWorkSignalOnceConnected implements WorkSignal {
        private final List<Consumer<String>> waiting = new ArrayList<>();
        private volatile AmqpWorkSignal target;

        @Override
        public void signal(String instanceId) {
            AmqpWorkSignal t = target;
            if (t != null) t.signal(instanceId);
        }

        @Override
        public synchronized AutoCloseable subscribe(Consumer<String> onRunnable) {
            if (target != null) return target.subscribe(onRunnable);
            waiting.add(onRunnable);
            return () -> {
                synchronized (AmqpWorkSignalOnceConnected.this) {
                    waiting.remove(onRunnable);
                }
            };
        }

        synchronized void connected(AmqpWorkSignal signal) {
            target = signal;
            for (Consumer<String> c : waiting) signal.subscribe(c);
            waiting.clear();
        }
    }

    /** The runner's lifecycle publisher without a store outbox: a bounded buffer until connected, then the adapter's own outbox. */
    private final class AmqpEventsOnceConnected implements LifecycleEventPublisher {
        private final Deque<List<WorkflowEvent>> buffer = new ArrayDeque<>();
        private int count;
        private volatile AmqpLifecycleEventPublisher target;

        @Override
        public void publish(List<WorkflowEvent> published) {
            AmqpLifecycleEventPublisher t = target;
            if (t == null) {
                synchronized (this) {
                    t = target;
                    if (t == null) {
                        buffer.addLast(List.copyOf(published));
                        count += published.size();
                        while (count > config.outboxCapacity() && !buffer.isEmpty()) count -= buffer.removeFirst().size();
                        return;
                    }
                }
            }
            t.publish(published);
        }

        synchronized int buffered() {
            return count;
        }

        synchronized void connected(AmqpLifecycleEventPublisher publisher) {
            for (List<WorkflowEvent> e : buffer) publisher.publish(e);
            buffer.clear();
            count = 0;
            target = publisher;
        }
    }
}
