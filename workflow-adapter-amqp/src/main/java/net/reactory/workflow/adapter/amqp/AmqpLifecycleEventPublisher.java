package net.reactory.workflow.adapter.amqp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import net.reactory.workflow.application.port.out.LifecycleEventPublisher;
import net.reactory.workflow.domain.instance.WorkflowEvent;

/**
 * Publishes lifecycle events on the topic exchange {@code <prefix>.events}, at least once, each with its
 * event id as message id so consumers can de-duplicate. {@link #publish} never blocks the runner: events go
 * to an in-memory outbox that one thread drains with publisher confirms; what the broker does not confirm
 * (it is away, it refused, the connection dropped) stays in the outbox and is published after recovery.
 * The outbox lives in this process: events of a process that dies before the broker is back are lost
 * unless the store keeps an outbox of its own. With {@link EventScope#WORKFLOW} in the config, step events are
 * left out: only the workflow-level ones are published.
 */
public final class AmqpLifecycleEventPublisher implements LifecycleEventPublisher, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AmqpLifecycleEventPublisher.class);
    private static final int BATCH = 1000;

    private final AmqpConnector connector;
    private final EventMessages messages;
    private final LinkedBlockingDeque<EventMessages.Message> outbox = new LinkedBlockingDeque<>();
    private final int capacity;
    private final EventScope scope;
    private final Thread drainer;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Object idle = new Object();
    private volatile boolean running = true;
    private volatile int inFlight;
    private boolean outage;

    public AmqpLifecycleEventPublisher(AmqpConnector connector) {
        this.connector = connector;
        this.messages = new EventMessages(connector.names());
        this.capacity = connector.config().outboxCapacity();
        this.scope = connector.config().events();
        this.drainer = Thread.ofPlatform().name("workflow-amqp-events").daemon(true).start(this::drain);
    }

    @Override
    public void publish(List<WorkflowEvent> events) {
        publish(events, java.util.Map.of());
    }

    /** Each message's headers carry the instance's {@code traceparent} and {@code tracestate}, when it has them. */
    @Override
    public void publish(List<WorkflowEvent> events, java.util.Map<String, String> traceContext) {
        for (WorkflowEvent event : events) {
            if (!scope.includes(event)) continue;
            EventMessages.Message message = messages.toMessage(event, traceContext);
            while (outbox.size() >= capacity) {
                if (outbox.pollFirst() != null && dropped.incrementAndGet() % 10_000 == 1) {
                    log.error("lifecycle event outbox is full ({} events) while RabbitMQ is away: dropping the oldest ({} dropped so far)",
                            capacity, dropped.get());
                }
            }
            outbox.offerLast(message);
        }
    }

    /**
     * A publisher for a store that keeps its own outbox (the MongoDB store): its {@code publish} returns once the broker
     * confirmed every event, and throws at once while the broker is away, or when a confirm does not come within
     * {@code timeout}, so the store keeps the events and relays them later. Bypasses the in-memory outbox. As
     * {@link #publish(List, java.util.Map)}, the headers carry the instance's trace context when it is handed one.
     */
    public LifecycleEventPublisher confirmingEach(Duration timeout) {
        return new LifecycleEventPublisher() {
            @Override
            public void publish(List<WorkflowEvent> events) {
                publishConfirmed(events, java.util.Map.of(), timeout);
            }

            @Override
            public void publish(List<WorkflowEvent> events, java.util.Map<String, String> traceContext) {
                publishConfirmed(events, traceContext, timeout);
            }
        };
    }

    private void publishConfirmed(List<WorkflowEvent> events, java.util.Map<String, String> traceContext, Duration timeout) {
        List<WorkflowEvent> included = events.stream().filter(scope::includes).toList();
        if (included.isEmpty()) return;
        if (!connector.isOpen()) {
            throw new IllegalStateException("RabbitMQ is away: " + included.size() + " lifecycle events stay in the store's outbox");
        }
        List<EventMessages.Message> batch = new ArrayList<>(included.size());
        for (WorkflowEvent event : included) batch.add(messages.toMessage(event, traceContext));
        try {
            connector.publisher().publishAll(outgoing(batch)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            published.addAndGet(batch.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for RabbitMQ's confirms", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("RabbitMQ did not confirm " + events.size() + " lifecycle events: " + e, e);
        }
    }

    private void drain() {
        List<EventMessages.Message> batch = new ArrayList<>(BATCH);
        long backoff = 100;
        while (running || !outbox.isEmpty()) {
            try {
                EventMessages.Message first = outbox.pollFirst(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    signalIdle();
                    continue;
                }
                batch.clear();
                batch.add(first);
                outbox.drainTo(batch, BATCH - 1);
                inFlight = batch.size();
                List<EventMessages.Message> failed = send(batch);
                inFlight = 0;
                if (failed.isEmpty()) {
                    backoff = 100;
                    if (outage) {
                        outage = false;
                        log.info("RabbitMQ is back: lifecycle events flow again ({} waiting)", outbox.size());
                    }
                    continue;
                }
                for (int i = failed.size() - 1; i >= 0; i--) { // back at the head, in their order
                    outbox.offerFirst(failed.get(i));
                }
                if (!outage) {
                    outage = true;
                    log.warn("RabbitMQ did not confirm {} lifecycle events: they wait in memory ({} pending) and are published after recovery",
                            failed.size(), outbox.size());
                }
                if (!running) break;
                Thread.sleep(backoff);
                backoff = Math.min(2000, backoff * 2);
            } catch (InterruptedException e) {
                if (!running) break;
            } catch (RuntimeException e) {
                log.error("lifecycle event drainer failed, going on: {}", e.toString(), e);
            }
        }
        inFlight = 0;
        signalIdle();
    }

    /**
     * Publishes the batch back to back and waits once, for all its confirms; what comes back is to be published again:
     * the whole batch when any of it was not confirmed, since which ones were is not known (consumers de-duplicate
     * by message id).
     */
    private List<EventMessages.Message> send(List<EventMessages.Message> batch) throws InterruptedException {
        try {
            connector.publisher().publishAll(outgoing(batch)).get();
            published.addAndGet(batch.size());
            return List.of();
        } catch (ExecutionException e) {
            return batch;
        }
    }

    private List<ConfirmingPublisher.Outgoing> outgoing(List<EventMessages.Message> batch) {
        String exchange = connector.names().events();
        List<ConfirmingPublisher.Outgoing> out = new ArrayList<>(batch.size());
        for (EventMessages.Message m : batch) out.add(new ConfirmingPublisher.Outgoing(exchange, m.routingKey(), m.properties(), m.body()));
        return out;
    }

    private void signalIdle() {
        synchronized (idle) {
            idle.notifyAll();
        }
    }

    /** Waits until every event handed over so far is confirmed by the broker; false on timeout. */
    public boolean flush(Duration timeout) throws InterruptedException {
        // A deadline, so monotonic time: a wall-clock jump must not cut the wait short or stretch it.
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (!outbox.isEmpty() || inFlight > 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) return false;
                idle.wait(Math.min(left, 100));
            }
        }
        return true;
    }

    /** Events waiting in the outbox or being confirmed. */
    public int pending() {
        return outbox.size() + inFlight;
    }

    /** Events confirmed by the broker since start. */
    public long published() {
        return published.get();
    }

    /** Events dropped because the outbox was full. */
    public long dropped() {
        return dropped.get();
    }

    /** Flushes for up to five seconds, then stops; what is still pending is logged as lost. */
    @Override
    public void close() {
        try {
            if (!flush(Duration.ofSeconds(5))) {
                log.warn("{} lifecycle events were not confirmed by RabbitMQ before close and are dropped", pending());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running = false;
        drainer.interrupt();
        try {
            drainer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
