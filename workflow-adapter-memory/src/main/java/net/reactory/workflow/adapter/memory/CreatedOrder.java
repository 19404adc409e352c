package net.reactory.workflow.adapter.memory;

import java.time.Instant;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Function;
import java.util.function.Supplier;

import net.reactory.workflow.application.port.in.InstanceFilter;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/**
 * The memory store's instances ordered by (createdAt, id), for lists, so that a page after a cursor costs the same at
 * any depth. Built by the first list and kept from then on: a process that never lists (the embedded runner, a
 * worker) pays no ordered insert and remove per instance. Writers add and remove after their write to the store,
 * then look again ({@link #created}, {@link #purged}), so that a build racing with a create or a purge leaves the
 * index with exactly the instances held.
 */
final class CreatedOrder {

    /** The creation time of the instance the store holds under an id, or null: what an index entry is checked against. */
    private final Function<String, Instant> heldCreatedAt;
    /** Every instance held, for the first build. */
    private final Supplier<Iterable<WorkflowInstance>> held;
    private volatile ConcurrentSkipListSet<TimedId> index;

    CreatedOrder(Function<String, Instant> heldCreatedAt, Supplier<Iterable<WorkflowInstance>> held) {
        this.heldCreatedAt = heldCreatedAt;
        this.held = held;
    }

    /** The part of the index a query walks: from its cursor or its time bound, in its order. */
    NavigableSet<TimedId> listed(InstanceFilter query) {
        ConcurrentSkipListSet<TimedId> created = built();
        InstanceFilter.Cursor after = query.after();
        if (query.newestFirst()) {
            if (after != null) return created.headSet(new TimedId(after.createdAt(), after.id()), false).descendingSet();
            if (query.createdTo() != null) return created.headSet(new TimedId(query.createdTo(), ""), false).descendingSet();
            return created.descendingSet();
        }
        if (after != null) return created.tailSet(new TimedId(after.createdAt(), after.id()), false);
        if (query.createdFrom() != null) return created.tailSet(new TimedId(query.createdFrom(), ""), true);
        return created;
    }

    /** After a create's write: into the index if there is one; out again if a purge took the instance meanwhile. */
    void created(WorkflowInstance i) {
        ConcurrentSkipListSet<TimedId> current = index;
        if (current == null) return;
        TimedId entry = new TimedId(i.createdAt(), i.id());
        current.add(entry);
        if (!holds(entry)) current.remove(entry);
    }

    /** After a purge's write: out of the index if there is one. */
    void purged(WorkflowInstance i) {
        ConcurrentSkipListSet<TimedId> current = index;
        if (current != null) current.remove(new TimedId(i.createdAt(), i.id()));
    }

    private ConcurrentSkipListSet<TimedId> built() {
        ConcurrentSkipListSet<TimedId> current = index;
        if (current != null) return current;
        synchronized (this) {
            if (index != null) return index;
            current = new ConcurrentSkipListSet<>(TimedId.ORDER);
            // Published before the walk: a create from now on adds itself; one before it is seen by the walk.
            index = current;
            for (WorkflowInstance i : held.get()) {
                TimedId entry = new TimedId(i.createdAt(), i.id());
                current.add(entry);
                // Purged while the walk ran: its purge may have looked at the index before this entry was in it.
                if (!holds(entry)) current.remove(entry);
            }
            return current;
        }
    }

    /** Whether the store still holds the instance an entry names (and not another created since under its id). */
    private boolean holds(TimedId entry) {
        Instant at = heldCreatedAt.apply(entry.id());
        return at != null && at.equals(entry.at());
    }
}
