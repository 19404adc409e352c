package net.reactory.workflow.adapter.mongo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import net.reactory.workflow.application.port.out.LifecycleEventPublisher;
import net.reactory.workflow.domain.instance.WorkflowEvent;

/**
 * The outbox of {@link MongoInstanceStore}, on once an outbox is made for the store: a save writes its transition's events into the instance's
 * document, in the same single-document write, as {@code outbox.r<revision>}. Then:
 * <ul>
 * <li>the runner publishes them through {@link #publisher()}, which hands them to the real publisher and
 * acknowledges them; the instance's next save drops the acknowledged entries in its own write (no extra round
 * trip), and a periodic flush drops those of instances that are not saved again, many in one bulk write;</li>
 * <li>an entry still there after {@code grace} (the process died between the write and the publish, or the
 * publisher failed) is published by {@link #relayOnce} and then dropped, with the trace context the instance's
 * document keeps (the instance's own, set at its start), as the runner would have published it.</li>
 * </ul>
 * So an event is never lost when the process dies after the write, and never published for a write that failed
 * (a failed conditional save writes nothing). Publication is at least once: consumers de-duplicate with
 * {@link WorkflowEvent#eventId()}.
 */
public final class MongoOutbox implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MongoOutbox.class);

    private final OutboxEntries entries;
    private final LifecycleEventPublisher delegate;
    private volatile ScheduledExecutorService timer;

    public MongoOutbox(MongoInstanceStore store, LifecycleEventPublisher delegate) {
        this.entries = Objects.requireNonNull(store, "store").outbox();
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        entries.enable();
    }

    /**
     * The events of one outbox entry: one transition of one instance, and the W3C trace context the instance continues
     * (empty for none), so that relayed events carry the same {@code traceparent} as the ones the runner published.
     */
    public record PendingEvents(String instanceId, long revision, List<WorkflowEvent> events, Map<String, String> traceContext) {
        public PendingEvents {
            traceContext = traceContext == null || traceContext.isEmpty() ? Map.of() : Map.copyOf(traceContext);
        }
    }

    /**
     * The publisher to give the runner: publishes (with the instance's trace context, when the runner hands one), then
     * acknowledges. A failed publication stays in the outbox.
     */
    public LifecycleEventPublisher publisher() {
        return LifecycleEventPublisher.traced((events, traceContext) -> {
            LifecycleEventPublisher.publishTo(delegate, events, traceContext);
            entries.acknowledge(events);
        });
    }


    /**
     * Only acknowledges: for a runner that already publishes to every publisher in turn on the calling thread
     * (add this one beside them). The acknowledgement takes effect at the instance's next save or at the next
     * flush, both after the runner's publishing of these events returned, so a process dying in between leaves
     * the entry for the relay.
     */
    public LifecycleEventPublisher acknowledger() {
        return entries::acknowledge;
    }

    /** Publishes the outbox entries older than {@code grace}, then drops them; returns how many entries. */
    public int relayOnce(Duration grace) {
        int relayed = 0;
        for (OutboxEntries.InDoubt doc : entries.inDoubt(grace, 1_000)) {
            for (PendingEvents pending : doc.entries()) {
                LifecycleEventPublisher.publishTo(delegate, pending.events(), pending.traceContext());
                entries.markPublished(pending);
                relayed++;
            }
            entries.relayed(doc);
        }
        if (relayed > 0) log.info("outbox: published {} transitions whose events were in doubt", relayed);
        return relayed;
    }

    /**
     * Drops, in one bulk write, the entries acknowledged at least {@code age} ago (the instance's next save would
     * have dropped them otherwise); returns how many instances.
     */
    public int flushAcknowledged(Duration age) {
        return entries.flushAcknowledged(age);
    }

    /** Entries written at least {@code age} ago and not yet dropped: events whose publication is in doubt. */
    public List<PendingEvents> pendingEvents(Duration age, int limit) {
        return entries.pending(age, limit);
    }

    /**
     * Every {@code flushInterval}: drops acknowledged entries in one bulk write; every {@code relayInterval}:
     * publishes entries older than {@code grace}. The relay finds them through {@code outboxAt}'s sparse index, which
     * the writes drop with the last entry they know of.
     */
    public synchronized MongoOutbox start(Duration flushInterval, Duration relayInterval, Duration grace) {
        if (timer != null) return this;
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("mongo-outbox").daemon(true).factory());
        timer.scheduleWithFixedDelay(() -> {
            try {
                entries.flushAcknowledged(flushInterval);
            } catch (RuntimeException e) {
                log.warn("outbox flush failed, trying again in {}: {}", flushInterval, e.toString());
            }
        }, flushInterval.toMillis(), flushInterval.toMillis(), TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(() -> {
            try {
                relayOnce(grace);
            } catch (RuntimeException e) {
                log.warn("outbox relay failed, trying again in {}: {}", relayInterval, e.toString());
            }
        }, relayInterval.toMillis(), relayInterval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }
}
