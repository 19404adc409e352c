package net.reactory.workflow.bootstrap.mongo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import net.reactory.workflow.adapter.memory.MemoryAuditLog;
import net.reactory.workflow.adapter.memory.MemoryEventStore;
import net.reactory.workflow.adapter.memory.MemoryInstanceStore;
import net.reactory.workflow.adapter.mongo.MongoAuditLog;
import net.reactory.workflow.application.port.out.AuditLog;
import net.reactory.workflow.application.port.out.CreateResult;
import net.reactory.workflow.application.port.out.EventStore;
import net.reactory.workflow.application.port.out.EventSubscription;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.port.out.PublishedEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/**
 * The stores of a node that started while MongoDB was away: memory first, MongoDB once it answers. The runner is
 * given {@link #instances()}, {@link #events()} and {@link #audit()}, which send every call to the current target.
 *
 * <p>The move ({@link #moveTo}) holds a write lock that every call takes for reading: taking it waits for the calls in
 * progress (a save half done on memory finishes there first), and calls arriving meanwhile wait until the move is
 * over, then go to MongoDB. Instances are copied as they are, lease and revision included, so a step that was running
 * under a lease on memory saves, renews or releases it on MongoDB with the same owner and revision, as if nothing had
 * happened. Each copy is idempotent by id: an instance is inserted if absent, and one already there is overwritten
 * only when its revision is lower; events and waits are inserted if absent; audit entries carry an id made of this
 * process's fallback and their number. So a move that fails half way (MongoDB gone again) leaves memory in charge,
 * and the next try completes it without duplicating anything. After the move memory is dropped.
 */
public final class MemoryFallback {

    /** The name of a delivered event's copy: memory keeps only a delivered event's id and time, which is all its idempotency needs. */
    static final String DELIVERED_NAME = "(delivered before the move from memory)";

    private static final Logger log = LoggerFactory.getLogger(MemoryFallback.class);
    private static final int PARALLEL_COPIES = 16;

    /** The MongoDB stores to move to. */
    public record Target(InstanceStore instances, EventStore events, MongoAuditLog audit) {
    }

    /** What one move did. */
    public record Moved(int instances, int instancesKept, int referenceConflicts, int pendingEvents, int deliveredEvents, int waits,
                        int auditEntries, Duration took) {
    }

    private record Memory(MemoryInstanceStore instances, MemoryEventStore events, MemoryAuditLog audit) {
    }

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** Identifies this process's fallback in the ids of audit entries it moves. */
    private final String session = UUID.randomUUID().toString();
    /** Waits copied by an earlier, failed move: removed from MongoDB if memory no longer has them. */
    private final Set<EventSubscription> waitsCopiedBefore = new HashSet<>();
    private volatile Memory memory;
    private volatile Target mongo;
    private final InstanceStore instances = new FallbackInstanceStore(this);
    private final EventStore events = new FallbackEventStore(this);
    private final AuditLog audit = new FallbackAuditLog(this);

    public MemoryFallback(Duration retention, int historyLimit) {
        this.memory = new Memory(new MemoryInstanceStore(retention, historyLimit), new MemoryEventStore(retention), new MemoryAuditLog());
    }

    public InstanceStore instances() {
        return instances;
    }

    public EventStore events() {
        return events;
    }

    public AuditLog audit() {
        return audit;
    }

    /** Whether the stores are MongoDB's now. */
    public boolean moved() {
        return mongo != null;
    }

    /** Instances held only in this process's memory: lost if it dies before the move. */
    public int instancesOnlyInMemory() {
        Memory m = memory;
        return m == null ? 0 : m.instances().size();
    }

    <T> T onInstances(Function<InstanceStore, T> call) {
        return on(t -> t.instances(), Memory::instances, call);
    }

    <T> T onEvents(Function<EventStore, T> call) {
        return on(t -> t.events(), Memory::events, call);
    }

    <T> T onAudit(Function<AuditLog, T> call) {
        return on(t -> t.audit(), Memory::audit, call);
    }

    private <S, T> T on(Function<Target, S> ofMongo, Function<Memory, S> ofMemory, Function<S, T> call) {
        Target target = mongo;
        if (target != null) return call.apply(ofMongo.apply(target)); // moved: no lock on the way any more
        lock.readLock().lock();
        try {
            target = mongo;
            return call.apply(target != null ? ofMongo.apply(target) : ofMemory.apply(memory));
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Moves everything memory holds to {@code target}, then sends every call there. Calls wait while it runs.
     *
     * @throws RuntimeException when a write to MongoDB failed: memory stays in charge, and a later move completes this one
     */
    public synchronized Moved moveTo(Target target) {
        lock.writeLock().lock();
        try {
            if (mongo != null) throw new IllegalStateException("moved already");
            long started = System.nanoTime();
            Memory m = memory;
            MemoryEventStore.Contents contents = m.events().contents();
            for (PublishedEvent e : contents.pending()) target.events().append(e);
            for (Map.Entry<String, java.time.Instant> d : contents.delivered().entrySet()) {
                target.events().append(new PublishedEvent(d.getKey(), DELIVERED_NAME, d.getKey(), null, d.getValue(), d.getValue()));
                target.events().markDelivered(d.getKey());
            }
            Set<EventSubscription> waits = new HashSet<>(contents.waits());
            for (EventSubscription w : waitsCopiedBefore) {
                if (!waits.contains(w)) target.events().removeSubscription(w);
            }
            for (EventSubscription w : contents.waits()) {
                target.events().subscribe(w);
                waitsCopiedBefore.add(w);
            }
            List<MemoryAuditLog.Numbered> entries = m.audit().numbered();
            for (MemoryAuditLog.Numbered n : entries) target.audit().recordIfAbsent("fallback-" + session + "-" + n.number(), n.entry());
            int[] instanceCounts = copyInstances(m.instances().all(), target.instances());
            mongo = target;
            memory = null;
            return new Moved(instanceCounts[0], instanceCounts[1], instanceCounts[2], contents.pending().size(), contents.delivered().size(),
                    contents.waits().size(), entries.size(), Duration.ofNanos(System.nanoTime() - started));
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Copies the instances a few at a time (a store that groups writes gets groups); moved, kept and conflicting counts. */
    private static int[] copyInstances(List<WorkflowInstance> all, InstanceStore target) {
        AtomicInteger moved = new AtomicInteger();
        AtomicInteger kept = new AtomicInteger();
        AtomicInteger conflicts = new AtomicInteger();
        try (ExecutorService copies = Executors.newVirtualThreadPerTaskExecutor()) {
            java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(PARALLEL_COPIES);
            List<Future<?>> done = new ArrayList<>(all.size());
            for (WorkflowInstance i : all) {
                slots.acquireUninterruptibly();
                done.add(copies.submit(() -> {
                    try {
                        switch (copy(i, target)) {
                            case MOVED -> moved.incrementAndGet();
                            case KEPT -> kept.incrementAndGet();
                            case CONFLICT -> conflicts.incrementAndGet();
                        }
                    } finally {
                        slots.release();
                    }
                }));
            }
            for (Future<?> f : done) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while moving instances", e);
                }
            }
        }
        return new int[]{moved.get(), kept.get(), conflicts.get()};
    }

    enum Copy { MOVED, KEPT, CONFLICT }

    /** Inserts the instance unless it is there; one there with a lower revision (an earlier move, since overtaken) is overwritten. */
    static Copy copy(WorkflowInstance i, InstanceStore target) {
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                CreateResult created = target.create(i);
                if (created instanceof CreateResult.Created) return Copy.MOVED;
                String holder = ((CreateResult.ReferenceTaken) created).existingInstanceId();
                if (!holder.equals(i.id())) {
                    // Another node started the same reference while this one was on memory: two instances, one reference.
                    log.error("memory fallback: instance {} of {} not moved to MongoDB: its reference '{}' is taken there by instance {}",
                            i.id(), i.definition(), i.reference(), holder);
                    return Copy.CONFLICT;
                }
            } catch (IllegalArgumentException idTaken) {
                // There already: compare revisions below.
            }
            Optional<WorkflowInstance> there = target.load(i.id());
            if (there.isEmpty()) continue;
            if (there.get().revision() >= i.revision()) return Copy.KEPT;
            if (target.save(i, there.get().revision(), List.of())) return Copy.MOVED;
        }
        throw new IllegalStateException("instance " + i.id() + " could not be moved to MongoDB: it changed there under the move three times");
    }
}
