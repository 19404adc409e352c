package net.reactory.workflow.adapter.memory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;

import net.reactory.workflow.application.port.out.CreateResult;
import net.reactory.workflow.application.port.out.HistoryPage;
import net.reactory.workflow.application.port.in.InstanceFilter;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.domain.instance.Lease;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.definition.WorkflowId;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/**
 * The embedded store: the same contract as the Mongo store, lock-free for readers.
 * Every write of one instance holds the monitor of that instance's slot, which serialises writers of that instance
 * only; the due-time index is updated inside that critical section, so it always agrees with the instance it
 * describes. (Not {@link ConcurrentHashMap#compute}: a lambda made and a bin locked per write cost the hot path more.)
 *
 * <p>Claims do not scan all instances for work: {@code due} holds unleased runnable instances ordered
 * by next execution. Expired leases are found by a sweep over all instances, which runs only once the
 * earliest moment a lease can have expired has passed ({@code sweepAt}); a lease that ends normally
 * costs one volatile read, not an index entry, and under steady load the sweep runs about once per
 * lease duration.
 *
 * <p>Each instance's history ({@link BoundedHistory}, which is the instance's slot; {@link InstanceSlot} when none is
 * kept) is appended to inside the same critical section as the write it comes with, and purged with the instance. Lists page through {@link CreatedOrder}, built by the first list.
 */
public final class MemoryInstanceStore implements InstanceStore {

    /** The newest change events kept per instance unless said otherwise; the older ones are counted, not kept. */
    public static final int DEFAULT_HISTORY_LIMIT = 1_000;

    /**
     * By id, hashed by when the id was made ({@link IdKey}): instances made together are stored together. Each slot is
     * its own key; look-ups go by an {@link IdKey} of the id.
     */
    private final Map<IdKey, InstanceSlot> instances = new ConcurrentHashMap<>();
    private final Map<ReferenceKey, String> references = new ConcurrentHashMap<>();
    private final ConcurrentSkipListSet<TimedId> due = new ConcurrentSkipListSet<>(TimedId.ORDER);
    /** Every instance by (createdAt, id), for lists; built by the first list. */
    private final CreatedOrder created = new CreatedOrder(this::heldCreatedAt, this::all);
    private final int historyLimit;
    /** The step and event names the histories keep by number. */
    private final HistoryNames names = new HistoryNames();
    private final LeaseSweepMark sweepAt = new LeaseSweepMark();
    /**
     * The slots of instances saved finished, in finishing order (near enough), for the retention purge: slots rather than
     * instances, so that the purge reaches what it removes without a look-up in {@code instances}.
     */
    private final ConcurrentLinkedQueue<InstanceSlot> finished = new ConcurrentLinkedQueue<>();
    private final Duration finishedRetention;
    private final AtomicBoolean purging = new AtomicBoolean();
    /** When the head the last purge stopped at finished: until a cutoff passes it, nothing queued is due (one read, not the cold head). */
    private volatile Instant purgeDueAfter = Instant.MIN;

    /** Keeps finished instances until {@link #purgeFinishedBefore} removes them. */
    public MemoryInstanceStore() {
        this.finishedRetention = null;
        this.historyLimit = DEFAULT_HISTORY_LIMIT;
    }

    /**
     * Drops finished instances by itself once they have been finished for {@code finishedRetention},
     * so a long-running process keeps flat memory. The purge is amortised over saves and costs
     * nothing per instance still running.
     */
    public MemoryInstanceStore(Duration finishedRetention) {
        this(finishedRetention, DEFAULT_HISTORY_LIMIT);
    }

    /**
     * As {@link #MemoryInstanceStore(Duration)}, keeping the newest {@code historyLimit} change events of each instance;
     * 0 keeps none (a store that needs no history, and the benchmark's measure of what history costs).
     */
    public MemoryInstanceStore(Duration finishedRetention, int historyLimit) {
        if (finishedRetention.isNegative()) throw new IllegalArgumentException("finishedRetention must not be negative: " + finishedRetention);
        if (historyLimit < 0) throw new IllegalArgumentException("historyLimit must not be negative: " + historyLimit);
        this.finishedRetention = finishedRetention;
        this.historyLimit = historyLimit;
    }

    private record ReferenceKey(WorkflowId workflow, String reference) {
    }

    @Override
    public CreateResult create(WorkflowInstance instance, List<WorkflowEvent> changes) {
        Objects.requireNonNull(instance, "instance");
        ReferenceKey key = instance.reference() == null ? null : new ReferenceKey(instance.definition().id(), instance.reference());
        if (key != null) {
            String existing = references.putIfAbsent(key, instance.id());
            if (existing != null) return new CreateResult.ReferenceTaken(existing);
        }
        InstanceSlot slot = historyLimit == 0 ? new InstanceSlot(instance) : new BoundedHistory(instance);
        // Held from before the slot is in the map until its index entry is: a writer that finds it waits for both.
        synchronized (slot) {
            slot.append(changes, historyLimit, names);
            for (InstanceSlot other = instances.putIfAbsent(slot, slot); other != null; other = instances.putIfAbsent(slot, slot)) {
                if (other.instance != null) {
                    // The refused create leaves nothing behind: the reference it took is free again.
                    if (key != null) references.remove(key, instance.id());
                    throw new IllegalArgumentException("an instance with id " + instance.id() + " exists already");
                }
                // Purged, and its purge is about to take it out of the map: whichever of the two does so first.
                instances.remove(other, other.exactly());
            }
            index(null, instance);
        }
        created.created(instance);
        sweepAt.noteLease(instance);
        return new CreateResult.Created(instance);
    }

    @Override
    public Optional<WorkflowInstance> load(String instanceId) {
        return Optional.ofNullable(held(instanceId));
    }

    @Override
    public Optional<WorkflowInstance> findByReference(WorkflowId workflow, String reference) {
        String id = references.get(new ReferenceKey(workflow, reference));
        return id == null ? Optional.empty() : load(id);
    }

    @Override
    public boolean save(WorkflowInstance instance, long expectedRevision, List<WorkflowEvent> changes) {
        InstanceSlot slot = instances.get(IdKey.of(instance.id()));
        if (slot == null) return false;
        synchronized (slot) {
            WorkflowInstance stored = slot.instance;
            if (stored == null || stored.revision() != expectedRevision) return false;
            // The history first: an event it cannot take fails the save before anything else changed.
            slot.append(changes, historyLimit, names);
            index(stored, instance);
            if (!Objects.equals(stored.reference(), instance.reference())) rereference(stored, instance);
            slot.replacing(instance);
            slot.instance = instance;
            // Finished, or with nothing due (it waits): what it keeps now it may keep long, without spare room.
            if (!changes.isEmpty() && instance.nextExecution() == null) slot.rest(instance.isFinished());
        }
        sweepAt.noteLease(instance);
        if (instance.isFinished() && instance.completedAt() != null) {
            finished.add(slot);
            if (finishedRetention != null) purgeQueued(instance.completedAt().minus(finishedRetention));
        }
        return true;
    }

    /**
     * A save that changes the reference (an auto-started instance finishing) frees the old one with the same write,
     * under the instance's slot monitor. The new reference is not checked: the runner only moves to one naming the instance.
     */
    private void rereference(WorkflowInstance stored, WorkflowInstance saved) {
        if (saved.reference() != null) references.put(new ReferenceKey(saved.definition().id(), saved.reference()), saved.id());
        if (stored.reference() != null) references.remove(new ReferenceKey(stored.definition().id(), stored.reference()), stored.id());
    }

    @Override
    public List<WorkflowInstance> claimDue(String owner, Instant now, Instant leaseUntil, int limit) {
        List<WorkflowInstance> claimed = new ArrayList<>();
        if (sweepAt.passed(now)) sweepExpiredLeases(owner, now, leaseUntil, limit, claimed);
        for (TimedId entry : due) {
            if (claimed.size() >= limit || entry.at().isAfter(now)) break;
            claim(entry.id(), owner, now, leaseUntil).ifPresent(claimed::add);
        }
        return claimed;
    }

    /** Claims runnable instances whose lease has expired, and sets {@code sweepAt} to the earliest one still to come. */
    private void sweepExpiredLeases(String owner, Instant now, Instant leaseUntil, int limit, List<WorkflowInstance> claimed) {
        sweepAt.reset();
        Instant earliest = Instant.MAX;
        boolean completed = false;
        try {
            for (InstanceSlot slot : instances.values()) {
                WorkflowInstance i = slot.instance;
                if (i == null || i.lease() == null || i.status() != WorkflowStatus.RUNNABLE || i.nextExecution() == null) continue;
                Instant claimableAt = LeaseSweepMark.claimableAt(i);
                if (!claimableAt.isAfter(now) && claimed.size() < limit) {
                    Optional<WorkflowInstance> mine = claim(i.id(), owner, now, leaseUntil);
                    if (mine.isPresent()) {
                        claimed.add(mine.get());
                        continue;
                    }
                }
                if (claimableAt.isBefore(earliest)) earliest = claimableAt;
            }
            completed = true;
        } finally {
            // A sweep cut short knows nothing of the instances it did not reach: the next claim sweeps again.
            sweepAt.lower(completed ? earliest : now);
        }
    }

    @Override
    public Optional<WorkflowInstance> claim(String instanceId, String owner, Instant now, Instant leaseUntil) {
        InstanceSlot slot = instances.get(IdKey.of(instanceId));
        if (slot == null) return Optional.empty();
        WorkflowInstance next;
        synchronized (slot) {
            WorkflowInstance stored = slot.instance;
            if (stored == null || !claimable(stored, owner, now)) return Optional.empty();
            next = stored.withLease(new Lease(owner, leaseUntil)).withRevision(stored.revision() + 1);
            index(stored, next);
            slot.instance = next;
        }
        sweepAt.noteLease(next);
        return Optional.of(next);
    }

    private static boolean claimable(WorkflowInstance stored, String owner, Instant now) {
        if (!stored.isRunnableAt(now)) return false;
        Lease lease = stored.lease();
        return lease == null || !lease.isHeldAt(now);
    }

    @Override
    public boolean renewLease(String instanceId, String owner, long revision, Instant leaseUntil) {
        return changeLease(instanceId, owner, revision, new Lease(owner, leaseUntil));
    }

    @Override
    public boolean releaseLease(String instanceId, String owner, long revision) {
        return changeLease(instanceId, owner, revision, null);
    }

    private boolean changeLease(String instanceId, String owner, long revision, Lease lease) {
        InstanceSlot slot = instances.get(IdKey.of(instanceId));
        if (slot == null) return false;
        WorkflowInstance next;
        synchronized (slot) {
            WorkflowInstance stored = slot.instance;
            if (stored == null || stored.revision() != revision || stored.lease() == null || !stored.lease().owner().equals(owner)) return false;
            next = stored.withLease(lease);
            index(stored, next);
            slot.instance = next;
        }
        sweepAt.noteLease(next);
        return true;
    }

    @Override
    public List<WorkflowInstance> query(InstanceFilter query) {
        if (query.reference() != null && query.workflow() != null) {
            // One instance at most, found without walking the list.
            return findByReference(query.workflow(), query.reference()).filter(query::matches)
                    .filter(i -> query.offset() == 0 && query.after() == null).map(List::of).orElse(List.of());
        }
        List<WorkflowInstance> found = new ArrayList<>(Math.min(query.limit(), 1024));
        int skip = query.offset();
        for (Iterator<TimedId> it = created.listed(query).iterator(); it.hasNext() && found.size() < query.limit(); ) {
            TimedId entry = it.next();
            if (query.newestFirst() ? query.createdFrom() != null && entry.at().isBefore(query.createdFrom())
                    : query.createdTo() != null && !entry.at().isBefore(query.createdTo())) break;
            WorkflowInstance i = held(entry.id());
            if (i == null || !query.matches(i)) continue;
            if (skip > 0) {
                skip--;
                continue;
            }
            found.add(i);
        }
        return found;
    }

    @Override
    public Map<WorkflowStatus, Long> countByStatus(InstanceFilter query) {
        InstanceFilter any = query.withStatus(null);
        Map<WorkflowStatus, Long> counts = new EnumMap<>(WorkflowStatus.class);
        for (InstanceSlot slot : instances.values()) {
            WorkflowInstance i = slot.instance;
            if (i != null && any.matches(i)) counts.merge(i.status(), 1L, Long::sum);
        }
        return counts;
    }

    @Override
    public Optional<HistoryPage> history(String instanceId, long afterRevision, int limit) {
        InstanceSlot slot = instances.get(IdKey.of(instanceId));
        if (slot == null) return Optional.empty();
        synchronized (slot) {
            WorkflowInstance owner = slot.instance;
            return owner == null ? Optional.empty() : Optional.of(slot.page(owner, afterRevision, limit, names));
        }
    }

    @Override
    public long purgeFinishedBefore(Instant cutoff) {
        long removed = purgeQueued(cutoff);
        // Instances created finished (never saved here) are not in the queue: look for them too.
        for (InstanceSlot slot : instances.values()) {
            WorkflowInstance i = slot.instance;
            if (i != null && i.isFinished() && i.completedAt() != null && i.completedAt().isBefore(cutoff) && remove(slot, i)) removed++;
        }
        return removed;
    }

    /**
     * Drops queued finished instances that finished before {@code cutoff}; the queue is in finishing
     * order, near enough. One thread purges at a time, the others go on: a purge is never urgent.
     */
    private long purgeQueued(Instant cutoff) {
        if (!purgeDueAfter.isBefore(cutoff) || !purging.compareAndSet(false, true)) return 0;
        long removed = 0;
        Instant stoppedAt = Instant.MIN;
        try {
            // A slot's instance as it is now: finished and written again since it was queued (its lease handed back), it
            // goes as it is; purged already (or queued twice), or running again, it leaves the queue and is queued again if
            // it finishes again.
            for (InstanceSlot head = finished.peek(); head != null; head = finished.peek()) {
                WorkflowInstance current = head.instance;
                boolean gone = current == null || !current.isFinished() || current.completedAt() == null;
                if (!gone && !current.completedAt().isBefore(cutoff)) {
                    stoppedAt = current.completedAt();
                    break;
                }
                finished.poll();
                if (!gone && remove(head, current)) removed++;
            }
        } finally {
            purgeDueAfter = stoppedAt;
            purging.set(false);
        }
        return removed;
    }

    /** Takes {@code i} out, if {@code slot} still holds it. */
    private boolean remove(InstanceSlot slot, WorkflowInstance i) {
        synchronized (slot) {
            if (slot.instance != i) return false;
            slot.instance = null;
            // The retention queue may still name the slot for a while: it need not keep the history alive meanwhile.
            slot.clear();
        }
        // Out of the map once out of use, not under the slot's monitor: a hash-map write inside it cost the purge several times more.
        instances.remove(slot, slot.exactly());
        created.purged(i);
        if (i.reference() != null) references.remove(new ReferenceKey(i.definition().id(), i.reference()), i.id());
        return true;
    }

    /** Every instance the store holds, as stored now: what a move to another store copies. */
    public List<WorkflowInstance> all() {
        List<WorkflowInstance> all = new ArrayList<>(instances.size());
        for (InstanceSlot slot : instances.values()) {
            WorkflowInstance i = slot.instance;
            if (i != null) all.add(i);
        }
        return List.copyOf(all);
    }

    /** How many instances the store holds; for tests and the benchmark. */
    public int size() {
        return instances.size();
    }

    /** The instance held under {@code id}, or null. */
    private WorkflowInstance held(String id) {
        InstanceSlot slot = instances.get(IdKey.of(id));
        return slot == null ? null : slot.instance;
    }

    /** The creation time of the instance held under {@code id}, or null: what the list index checks its entries against. */
    private Instant heldCreatedAt(String id) {
        WorkflowInstance i = held(id);
        return i == null ? null : i.createdAt();
    }

    /**
     * Keeps the due index in step with an instance's change; called under the instance's slot monitor. Both are the same
     * instance, so an entry is made only for what changes (most writes are of leased instances, in no index).
     */
    private void index(WorkflowInstance before, WorkflowInstance after) {
        Instant was = dueAt(before);
        Instant now = dueAt(after);
        if (was == null ? now == null : was.equals(now)) return;
        if (was != null) due.remove(new TimedId(was, before.id()));
        if (now != null) due.add(new TimedId(now, after.id()));
    }

    private static Instant dueAt(WorkflowInstance i) {
        if (i == null || i.lease() != null || i.status() != WorkflowStatus.RUNNABLE) return null;
        return i.nextExecution();
    }
}
