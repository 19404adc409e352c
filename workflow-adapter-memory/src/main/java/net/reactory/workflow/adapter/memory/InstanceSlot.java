package net.reactory.workflow.adapter.memory;

import java.util.List;

import net.reactory.workflow.application.port.out.HistoryPage;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/**
 * One instance as {@link MemoryInstanceStore} holds it: one map entry per instance, so a create and a purge each cost one
 * hash-map write. {@code instance} is replaced only under this slot's monitor; readers see the latest through the volatile
 * field. A purge sets it to null before it takes the slot out of the map, so a writer that found the slot before then
 * finds it gone.
 *
 * <p>The slot is its own key in the map (an {@link IdKey} of its instance's id, which it keeps when purged): a key object
 * per instance would cost 16 bytes and one more object for the collector to copy. This slot keeps no history (a store
 * with a history limit of 0): 24 bytes per instance. {@link BoundedHistory} is the slot that keeps one in its own fields,
 * so that a history costs no object of its own.
 */
class InstanceSlot extends IdKey {

    volatile WorkflowInstance instance;

    InstanceSlot(WorkflowInstance instance) {
        super(instance.id());
        this.instance = instance;
    }

    /**
     * This very slot, as the value of a conditional removal from the store's map. Slots are their own keys and equal by
     * id, so {@code remove(slot, slot)} would also take a slot made since for the same id (a purge racing a create); the
     * map compares a removal's value by calling its {@code equals} on the value it holds, which here asks for this slot.
     */
    final Object exactly() {
        return new Exactly(this);
    }

    private record Exactly(InstanceSlot slot) {
        @Override
        public boolean equals(Object held) {
            return held == slot;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(slot);
        }
    }

    /**
     * Keeps {@code events} in this instance's history, at most {@code cap}, their names numbered in {@code names}; here,
     * none. The caller holds this slot's monitor.
     */
    void append(List<WorkflowEvent> events, int cap, HistoryNames names) {
    }

    /** The instance came to rest (it waits, or {@code finished}): the history gives up spare room. The caller holds this slot's monitor. */
    void rest(boolean finished) {
    }

    /** The instance is about to be replaced by {@code next}. The caller holds this slot's monitor. */
    void replacing(WorkflowInstance next) {
    }

    /** Forgets the history. The caller holds this slot's monitor. */
    void clear() {
    }

    /** A page of the history after {@code afterRevision}; here, always empty, with nothing dropped. */
    HistoryPage page(WorkflowInstance owner, long afterRevision, int limit, HistoryNames names) {
        return new HistoryPage(List.of(), null, HistoryPage.Dropped.NONE);
    }
}
