package net.reactory.workflow.adapter.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.application.port.out.TestInstances;
import net.reactory.workflow.domain.instance.WorkflowInstance;

class InstanceSlotTest {

    private static final WorkflowInstance INSTANCE = TestInstances.runnable(Instant.parse("2026-12-02T10:00:00Z"));

    @Test
    void givenASlotStoredAsItsOwnKey_whenLookedUpByAnIdKeyOfItsId_thenItIsFoundAndAnotherSlotOfThatIdIsTheSameKey() {
        Map<IdKey, InstanceSlot> map = new ConcurrentHashMap<>();
        InstanceSlot slot = new BoundedHistory(INSTANCE);

        map.put(slot, slot);

        assertThat(map.get(IdKey.of(INSTANCE.id()))).isSameAs(slot);
        assertThat(map.putIfAbsent(new InstanceSlot(INSTANCE), new InstanceSlot(INSTANCE))).isSameAs(slot);
        assertThat(slot).isEqualTo(IdKey.of(INSTANCE.id())).hasSameHashCodeAs(IdKey.of(INSTANCE.id()));
    }

    @Test
    void givenASlotReplacedByAnotherOfTheSameId_whenTheFirstIsRemovedExactly_thenTheSecondStays() {
        Map<IdKey, InstanceSlot> map = new ConcurrentHashMap<>();
        InstanceSlot purged = new BoundedHistory(INSTANCE);
        InstanceSlot made = new BoundedHistory(INSTANCE);
        map.put(made, made);

        // A purge that took its slot out late must not take the slot a create put there since.
        assertThat(map.remove(purged, purged.exactly())).isFalse();
        assertThat(map.get(IdKey.of(INSTANCE.id()))).isSameAs(made);
        // What exactly() guards against: slots equal by id, so removing by the slot itself would take the new one.
        assertThat(map.remove(purged, purged)).isTrue();

        map.put(made, made);
        assertThat(map.remove(made, made.exactly())).isTrue();
        assertThat(map).isEmpty();
    }
}
