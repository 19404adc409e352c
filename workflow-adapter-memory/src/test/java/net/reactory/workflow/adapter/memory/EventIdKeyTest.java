package net.reactory.workflow.adapter.memory;

import static net.reactory.workflow.adapter.memory.IdKeyTest.uuidV7;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

class EventIdKeyTest {

    private static final Instant PUBLISHED = Instant.parse("2026-12-02T10:15:30.123456789Z");

    @Test
    void givenTheRunnersId_whenKeyed_thenItGivesTheSameTextBackAndHashesAsTheInstanceStoresKey() {
        String id = uuidV7(1_764_633_600_123L, 0xA5, 0x1234_5678_9ABC_DEF0L);

        EventIdKey kept = EventIdKey.of(id, PUBLISHED);

        assertThat(kept.id()).isEqualTo(id);
        assertThat(kept.hashCode()).isEqualTo(IdKey.of(id).hashCode());
        assertThat(kept).isEqualTo(EventIdKey.of(new String(id.toCharArray()))).hasSameHashCodeAs(EventIdKey.of(id));
        assertThat(kept.compareTo(EventIdKey.of(id))).isZero();
    }

    @Test
    void givenTextThatIsNotALowerCaseUuid_whenKeyed_thenItIsKeptAsTextAndEqualsOnlyItself() {
        String v7 = uuidV7(1_764_633_600_000L, 1, 2);
        List<String> others = List.of("order-42", "", v7.toUpperCase(), v7.replace('-', '_'), v7.substring(0, 6) + "g" + v7.substring(7),
                v7 + "0", v7.substring(0, 35), v7.substring(0, 20) + "é" + v7.substring(21));

        for (String id : others) {
            EventIdKey key = EventIdKey.of(id, PUBLISHED);
            assertThat(key.id()).as(id).isEqualTo(id);
            assertThat(key.hashCode()).as(id).isEqualTo(id.hashCode());
            assertThat(key).as(id).isEqualTo(EventIdKey.of(id)).isNotEqualTo(EventIdKey.of(v7));
            assertThat(key.compareTo(EventIdKey.of(v7))).as(id).isNotZero();
        }
        // Any UUID in lower case is kept as bits, a version-4 one included.
        String v4 = UUID.randomUUID().toString();
        assertThat(EventIdKey.of(v4).id()).isEqualTo(v4);
    }

    @Test
    void givenTheKeyAStoreKeeps_whenAskedWhenItsEventWasPublished_thenItSaysSoToTheNanosecond() {
        EventIdKey kept = EventIdKey.of(uuidV7(1_764_633_600_000L, 3, 4), PUBLISHED);

        assertThat(kept.publishedAt()).isEqualTo(PUBLISHED);
        assertThat(kept.publishedBefore(PUBLISHED)).isFalse();
        assertThat(kept.publishedBefore(PUBLISHED.plusNanos(1))).isTrue();
        assertThat(kept.publishedBefore(PUBLISHED.minusSeconds(1))).isFalse();
        assertThat(kept.publishedBefore(PUBLISHED.plusSeconds(1).minusNanos(999_999_999))).isTrue();
    }

    @Test
    void givenManyIdsMadeToShareOneHash_whenMapped_thenEveryOneIsFoundByItsText() {
        Map<EventIdKey, Integer> map = new ConcurrentHashMap<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) ids.add(uuidV7(1_764_633_600_000L, 7, i * 1_000_003L));
        for (int i = 0; i < ids.size(); i++) map.put(EventIdKey.of(ids.get(i), PUBLISHED), i);

        assertThat(ids.stream().map(id -> EventIdKey.of(id).hashCode()).distinct()).hasSize(1);
        for (int i = 0; i < ids.size(); i++) assertThat(map.get(EventIdKey.of(ids.get(i)))).isEqualTo(i);
        assertThat(map).hasSize(2_000);
    }
}
