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
import java.util.concurrent.atomic.AtomicReference;

import net.reactory.workflow.application.port.out.CreateResult;
import net.reactory.workflow.application.port.out.HistoryPage;
import net.reactory.workflow.application.port.out.InstanceQuery;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.domain.instance.Lease;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.definition.WorkflowId;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/**
 * The embedded store: the same contract as the Mongo store, lock-free for readers.
 * Every write of one instance goes through {@link ConcurrentHashMap#compute}, which serialises
 * writers of that instance only; the due-time index is updated inside that critical section,
 * so it always agrees with the instance it describes.
 *
 * <p>Claims do not scan all instances for work: {@code due} holds unleased runnable instances ordered
 * by next execution. Expired leases are found by a sweep over all instances, which runs only once the
 * earliest moment a lease can have expired has passed ({@code sweepAt}); a lease that ends normally
 * costs one volatile read, not an index entry, and under steady load the sweep runs about once per
 * lease duration.
 *
 * <p>Each instance's history ({@link BoundedHistory}) is appended to inside the same critical section as the write it
 * comes with, and purged with the instance. Lists page through {@link CreatedOrder}, built by the first list.
 */
public final class MemoryInstanceStore implements InstanceStore {

    /** The newest change events kept per instance unless said otherwise; the older ones are counted, not kept. */
    public static final int DEFAULT_HISTORY_LIMIT = 1_000;

    /**
     * One instance as stored, with its history: one map entry per instance, so a create and a purge each cost one
     * hash-map write, not one per map, and one object, the history being this slot's own fields. {@code instance} is
     * replaced only inside the entry's compute; readers see the latest through the volatile field.
     */
    private static final class Slot extends BoundedHistory {
        volatile WorkflowInstance instance;

        Slot(WorkflowInstance instance) {
            this.instance = instance;
        }
    }

    private final Map<String, Slot> instances = new ConcurrentHashMap<>();
    private final Map<ReferenceKey, String> references = new ConcurrentHashMap<>();
    private final ConcurrentSkipListSet<TimedId> due = new ConcurrentSkipListSet<>(TimedId.ORDER);
    /** Every instance by (createdAt, id), for lists; built by the first list. */
    private final CreatedOrder created = new CreatedOrder(this::heldCreatedAt, this::all);
    private final int historyLimit;
    /**
     * No claimable instance's lease ends before this. Every write that leaves an instance leased lowers it to
     * that lease's end if needed (after the write, so a sweep that misses the write sees the mark); a sweep
     * raises it to the earliest end it saw.
     */
    private final AtomicReference<Instant> sweepAt = new AtomicReference<>(Instant.MAX);
    /** Finished instances as saved, in finishing order (near enough), for the retention purge. */
    private final ConcurrentLinkedQueue<WorkflowInstance> finished = new ConcurrentLinkedQueue<>();
    private final Duration finishedRetention;
    private final AtomicBoolean purging = new AtomicBoolean();

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

    /** As {@link #MemoryInstanceStore(Duration)}, keeping the newest {@code historyLimit} change events of each instance. */
    public MemoryInstanceStore(Duration finishedRetention, int historyLimit) {
        if (finishedRetention.isNegative()) throw new IllegalArgumentException("finishedRetention must not be negative: " + finishedRetention);
        if (historyLimit < 1) throw new IllegalArgumentException("historyLimit must be at least 1: " + historyLimit);
        this.finishedRetention = finishedRetention;
        this.historyLimit = historyLimit;
    }

    private record ReferenceKey(WorkflowId workflow, String reference) {
    }

    @Override
    public CreateResult create(WorkflowInstance instance, List<WorkflowEvent> changes) {
        Objects.requireNonNull(instance, "instance");
        if (instance.reference() != null) {
            ReferenceKey key = new ReferenceKey(instance.definition().id(), instance.reference());
            String existing = references.putIfAbsent(key, instance.id());
            if (existing != null) return new CreateResult.ReferenceTaken(existing);
        }
        boolean[] added = {false};
        instances.computeIfAbsent(instance.id(), id -> {
            index(null, instance);
            Slot slot = new Slot(instance);
            slot.append(changes, historyLimit);
            added[0] = true;
            return slot;
        });
        if (!added[0]) throw new IllegalArgumentException("an instance with id " + instance.id() + " exists already");
        created.created(instance);
        noteLease(instance);
        return new CreateResult.Created(instance);
    }

    @Override
    public Optional<WorkflowInstance> load(String instanceId) {
        Slot slot = instances.get(instanceId);
        return slot == null ? Optional.empty() : Optional.of(slot.instance);
    }

    @Override
    public Optional<WorkflowInstance> findByReference(WorkflowId workflow, String reference) {
        String id = references.get(new ReferenceKey(workflow, reference));
        return id == null ? Optional.empty() : load(id);
    }

    @Override
    public boolean save(WorkflowInstance instance, long expectedRevision, List<WorkflowEvent> changes) {
        boolean[] saved = {false};
        instances.computeIfPresent(instance.id(), (id, slot) -> {
            WorkflowInstance stored = slot.instance;
            if (stored.revision() != expectedRevision) return slot;
            index(stored, instance);
            slot.append(changes, historyLimit);
            if (!Objects.equals(stored.reference(), instance.reference())) rereference(stored, instance);
            slot.instance = instance;
            saved[0] = true;
            return slot;
        });
        if (saved[0]) noteLease(instance);
        if (saved[0] && instance.isFinished() && instance.completedAt() != null) {
            finished.add(instance);
            if (finishedRetention != null) purgeQueued(instance.completedAt().minus(finishedRetention));
        }
        return saved[0];
    }

    /**
     * A save that changes the reference (an auto-started instance finishing) frees the old one with the same write,
     * inside the instance's compute. The new reference is not checked: the runner only moves to one naming the instance.
     */
    private void rereference(WorkflowInstance stored, WorkflowInstance saved) {
        if (saved.reference() != null) references.put(new ReferenceKey(saved.definition().id(), saved.reference()), saved.id());
        if (stored.reference() != null) references.remove(new ReferenceKey(stored.definition().id(), stored.reference()), stored.id());
    }

    @Override
    public List<WorkflowInstance> claimDue(String owner, Instant now, Instant leaseUntil, int limit) {
        List<WorkflowInstance> claimed = new ArrayList<>();
        if (!now.isBefore(sweepAt.get())) sweepExpiredLeases(owner, now, leaseUntil, limit, claimed);
        for (TimedId entry : due) {
            if (claimed.size() >= limit || entry.at().isAfter(now)) break;
            claim(entry.id(), owner, now, leaseUntil).ifPresent(claimed::add);
        }
        return claimed;
    }

    /** Claims runnable instances whose lease has expired, and sets {@code sweepAt} to the earliest one still to come. */
    private void sweepExpiredLeases(String owner, Instant now, Instant leaseUntil, int limit, List<WorkflowInstance> claimed) {
        // Reset first: a lease written while the sweep runs, which the iteration may miss, lowers the mark again.
        sweepAt.set(Instant.MAX);
        Instant earliest = Instant.MAX;
        boolean completed = false;
        try {
            for (Slot slot : instances.values()) {
                WorkflowInstance i = slot.instance;
                if (i.lease() == null || i.status() != WorkflowStatus.RUNNABLE || i.nextExecution() == null) continue;
                Instant claimableAt = laterOf(i.lease().until(), i.nextExecution());
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
            lowerSweepAt(completed ? earliest : now);
        }
    }

    private static Instant laterOf(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private void lowerSweepAt(Instant at) {
        for (Instant current = sweepAt.get(); at.isBefore(current); current = sweepAt.get()) {
            if (sweepAt.compareAndSet(current, at)) return;
        }
    }

    /** After a write: a leased, runnable instance may be claimed once its lease ends. */
    private void noteLease(WorkflowInstance written) {
        Lease lease = written.lease();
        if (lease == null || written.status() != WorkflowStatus.RUNNABLE || written.nextExecution() == null) return;
        // Leases are written in nearly increasing order of their end: the usual case reads and leaves.
        if (!lease.until().isBefore(sweepAt.get())) return;
        lowerSweepAt(laterOf(lease.until(), written.nextExecution()));
    }

    @Override
    public Optional<WorkflowInstance> claim(String instanceId, String owner, Instant now, Instant leaseUntil) {
        WorkflowInstance[] claimed = {null};
        instances.computeIfPresent(instanceId, (id, slot) -> {
            WorkflowInstance stored = slot.instance;
            if (!claimable(stored, owner, now)) return slot;
            WorkflowInstance next = stored.withLease(new Lease(owner, leaseUntil)).withRevision(stored.revision() + 1);
            index(stored, next);
            slot.instance = next;
            claimed[0] = next;
            return slot;
        });
        if (claimed[0] != null) noteLease(claimed[0]);
        return Optional.ofNullable(claimed[0]);
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
        WorkflowInstance[] written = {null};
        instances.computeIfPresent(instanceId, (id, slot) -> {
            WorkflowInstance stored = slot.instance;
            if (stored.revision() != revision || stored.lease() == null || !stored.lease().owner().equals(owner)) return slot;
            WorkflowInstance next = stored.withLease(lease);
            index(stored, next);
            slot.instance = next;
            written[0] = next;
            return slot;
        });
        if (written[0] != null) noteLease(written[0]);
        return written[0] != null;
    }

    @Override
    public List<WorkflowInstance> query(InstanceQuery query) {
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
            Slot slot = instances.get(entry.id());
            WorkflowInstance i = slot == null ? null : slot.instance;
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
    public Map<WorkflowStatus, Long> countByStatus(InstanceQuery query) {
        InstanceQuery any = query.withStatus(null);
        Map<WorkflowStatus, Long> counts = new EnumMap<>(WorkflowStatus.class);
        for (Slot slot : instances.values()) {
            WorkflowInstance i = slot.instance;
            if (any.matches(i)) counts.merge(i.status(), 1L, Long::sum);
        }
        return counts;
    }

    @Override
    public Optional<HistoryPage> history(String instanceId, long afterRevision, int limit) {
        Slot slot = instances.get(instanceId);
        return slot == null ? Optional.empty() : Optional.of(slot.page(afterRevision, limit));
    }

    @Override
    public long purgeFinishedBefore(Instant cutoff) {
        long removed = purgeQueued(cutoff);
        // Instances created finished (never saved here) are not in the queue: look for them too.
        for (Slot slot : instances.values()) {
            WorkflowInstance i = slot.instance;
            if (i.isFinished() && i.completedAt() != null && i.completedAt().isBefore(cutoff) && remove(i)) removed++;
        }
        return removed;
    }

    /**
     * Drops queued finished instances that finished before {@code cutoff}; the queue is in finishing
     * order, near enough. One thread purges at a time, the others go on: a purge is never urgent.
     */
    private long purgeQueued(Instant cutoff) {
        if (!purging.compareAndSet(false, true)) return 0;
        long removed = 0;
        try {
            // remove(head) takes the instance if it is still the version queued, the usual case, with no look-up first;
            // a finished instance written again since is looked up and removed if it is still finished and old enough.
            for (WorkflowInstance head = finished.peek(); head != null && head.completedAt().isBefore(cutoff); head = finished.peek()) {
                finished.poll();
                if (remove(head)) {
                    removed++;
                    continue;
                }
                Slot slot = instances.get(head.id());
                WorkflowInstance current = slot == null ? null : slot.instance;
                if (current != null && current.isFinished() && current.completedAt() != null && current.completedAt().isBefore(cutoff)
                        && remove(current)) {
                    removed++;
                }
            }
        } finally {
            purging.set(false);
        }
        return removed;
    }

    private boolean remove(WorkflowInstance i) {
        boolean[] removed = {false};
        instances.computeIfPresent(i.id(), (id, slot) -> {
            if (slot.instance != i) return slot;
            removed[0] = true;
            return null;
        });
        if (!removed[0]) return false;
        created.purged(i);
        if (i.reference() != null) references.remove(new ReferenceKey(i.definition().id(), i.reference()), i.id());
        return true;
    }

    /** Every instance the store holds, as stored now: what a move to another store copies. */
    public List<WorkflowInstance> all() {
        List<WorkflowInstance> all = new ArrayList<>(instances.size());
        for (Slot slot : instances.values()) all.add(slot.instance);
        return List.copyOf(all);
    }

    /** How many instances the store holds; for tests and the benchmark. */
    public int size() {
        return instances.size();
    }

    /** The creation time of the instance held under {@code id}, or null: what the list index checks its entries against. */
    private Instant heldCreatedAt(String id) {
        Slot slot = instances.get(id);
        return slot == null ? null : slot.instance.createdAt();
    }

    /** Keeps the due index in step with an instance's change; called inside the instance's compute. */
    private void index(WorkflowInstance before, WorkflowInstance after) {
        TimedId was = dueEntry(before);
        TimedId now = dueEntry(after);
        if (was != null && !was.equals(now)) due.remove(was);
        if (now != null && !now.equals(was)) due.add(now);
    }

    private static TimedId dueEntry(WorkflowInstance i) {
        if (i == null || i.lease() != null || i.status() != WorkflowStatus.RUNNABLE || i.nextExecution() == null) return null;
        return new TimedId(i.nextExecution(), i.id());
    }
}
