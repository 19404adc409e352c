package net.reactory.workflow.adapter.mongo;

import static net.reactory.workflow.adapter.mongo.InstanceDocuments.CAS;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.LEASE_OWNER;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.LEASE_UNTIL;
import static net.reactory.workflow.adapter.mongo.InstanceDocuments.REVISION;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.bson.Document;

import net.reactory.workflow.application.port.out.StoreUnavailableException;
import net.reactory.workflow.domain.instance.Lease;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/**
 * Lease renewals and releases: a compare-and-set on {@code {_id, cas}}, the write count of the document as it was
 * when its conditions (revision, lease owner) were checked. The document used to be read first, every time. This
 * process knows the write count of the documents it wrote last (a create is at 0, a claim returns it, each of its
 * saves and lease changes counts it up by one), and with it their revision and lease owner: when the change asks for
 * exactly that state, the compare-and-set goes at once. A write count is never reused, so a count this process
 * knows of a document written since by anyone else matches nothing: the change then reads the document and tries
 * again, as it always did. A known count is never ahead of the document's: it is one this document had.
 */
final class LeaseChanges {

    /** The document as this process last wrote or read it. */
    private record Known(long cas, long revision, String leaseOwner) {
    }

    /** Abandoned entries (instances that stopped here and never finished) must not grow without bound. */
    private static final int MAX_KNOWN = 100_000;

    private final InstanceCollection instances;
    private final GroupCommit group;
    private final Map<String, Known> known = new ConcurrentHashMap<>();

    LeaseChanges(InstanceCollection instances, GroupCommit group) {
        this.instances = Objects.requireNonNull(instances, "instances");
        this.group = Objects.requireNonNull(group, "group");
    }

    /** The create of {@code instance} landed: its document is at write count 0. */
    void created(WorkflowInstance instance) {
        remember(instance.id(), new Known(0, instance.revision(), owner(instance.lease())));
    }

    /** A save matched on {@code expectedRevision}: one write past the state known at that revision, if it is known. */
    void saved(WorkflowInstance saved, long expectedRevision) {
        // A finished instance's run changes its lease no more: keeping its count would only grow the map (up to
        // MAX_KNOWN entries, whose lookups then miss the cache on every save).
        if (saved.isFinished()) {
            known.remove(saved.id());
            return;
        }
        Known before = known.get(saved.id());
        if (before != null && before.revision() == expectedRevision) {
            remember(saved.id(), new Known(before.cas() + 1, saved.revision(), owner(saved.lease())));
        } else {
            known.remove(saved.id());
        }
    }

    /** A claim returned the document it wrote. */
    void claimed(WorkflowInstance claimed, Object cas) {
        if (cas instanceof Number n) remember(claimed.id(), new Known(n.longValue(), claimed.revision(), owner(claimed.lease())));
        else known.remove(claimed.id());
    }

    /** The document's state is unknown here now (a write whose outcome is in doubt, a stale save). */
    void forget(String instanceId) {
        if (!known.isEmpty()) known.remove(instanceId);
    }

    /** Renews ({@code lease} given) or releases the lease, if {@code owner} still holds it at {@code revision}. */
    boolean change(String what, String instanceId, String owner, long revision, Lease lease) {
        Known k = known.get(instanceId);
        if (k != null && k.revision() == revision && owner.equals(k.leaseOwner())
                && compareAndSet(what, instanceId, k.cas(), revision, lease) == Boolean.TRUE) {
            return true;
        }
        // Not known, known otherwise, or written since: read the document and check, as without the memory.
        known.remove(instanceId);
        return CompareAndSetLoop.run(what, instanceId, () -> {
            Optional<Document> stored = instances.read(instanceId);
            if (stored.isEmpty()) return false;
            Document d = stored.get();
            if (((Number) d.get(REVISION)).longValue() != revision || !owner.equals(d.getString(LEASE_OWNER))) return false;
            return compareAndSet(what, instanceId, ((Number) d.get(CAS)).longValue(), revision, lease);
        });
    }

    /** True when the change landed on the document at {@code cas}; null when another write came first. */
    private Boolean compareAndSet(String what, String instanceId, long cas, long revision, Lease lease) {
        Document update = InstanceUpdates.leaseUpdate(lease, false);
        // Asked only when the batch matched fewer than it sent: this change landed if the document is one write past
        // the one read and holds what this change wrote (another write in between would have counted up too).
        GroupCommit.Outcome outcome = group.write(new GroupCommit.Update(instanceId, InstanceUpdates.casFilter(instanceId, cas),
                update, after -> after.get(CAS) instanceof Number n && n.longValue() == cas + 1
                        && after.get(REVISION) instanceof Number r && r.longValue() == revision
                        && Objects.equals(after.getString(LEASE_OWNER), owner(lease))
                        && Objects.equals(InstanceDocuments.getInstant(after, LEASE_UNTIL), lease == null ? null : lease.until())));
        return switch (outcome) {
            case GroupCommit.Done done -> {
                if (!done.matched()) yield null;
                remember(instanceId, new Known(cas + 1, revision, owner(lease)));
                yield Boolean.TRUE;
            }
            case GroupCommit.Lost lost -> {
                known.remove(instanceId);
                throw InstanceCollection.unavailable(what, lost.cause());
            }
            case GroupCommit.DuplicateKey refused -> throw new StoreUnavailableException("MongoDB refused " + what + ": " + refused.message(), null);
            case GroupCommit.Refused refused -> throw new StoreUnavailableException("MongoDB refused " + what + ": " + refused.message(), null);
        };
    }

    private void remember(String instanceId, Known state) {
        if (known.size() >= MAX_KNOWN) known.clear();
        known.put(instanceId, state);
    }

    private static String owner(Lease lease) {
        return lease == null ? null : lease.owner();
    }
}
