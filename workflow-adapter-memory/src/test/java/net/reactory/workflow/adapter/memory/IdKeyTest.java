package net.reactory.workflow.adapter.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

class IdKeyTest {

    /** A UUIDv7 as the runner writes it, of millisecond {@code millis}, with {@code random} as its first 8 random bits. */
    static String uuidV7(long millis, int random, long rest) {
        long high = (millis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | (random & 0xFF) << 4 | (rest >>> 60 & 0xF);
        long low = rest & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L;
        return new UUID(high, low).toString();
    }

    /** The bin {@link ConcurrentHashMap} files a key of this hash under, in a table of {@code bins}. */
    private static int bin(int hash, int bins) {
        return (hash ^ hash >>> 16) & 0x7FFF_FFFF & (bins - 1);
    }

    @Test
    void givenIdsOfOneMillisecond_whenHashed_thenTheyShareOneStretchOf256BinsAndTheNextMillisecondTheStretchBeside() {
        int bins = 1 << 21;
        long millis = 1_764_633_600_123L;
        List<Integer> thisOne = new ArrayList<>();
        for (int r = 0; r < 256; r += 17) thisOne.add(bin(IdKey.of(uuidV7(millis, r, r * 7919L)).hashCode(), bins));
        int next = bin(IdKey.of(uuidV7(millis + 1, 0, 42)).hashCode(), bins);

        int stretch = thisOne.get(0) / 256;
        assertThat(thisOne).allSatisfy(b -> assertThat(b / 256).isEqualTo(stretch));
        assertThat(next / 256).isEqualTo((stretch + 1) % (bins / 256));
    }

    @Test
    void givenTheSameIdTwice_whenKeyed_thenTheKeysAreEqualWithOneHashAndCompareAsTheText() {
        String id = uuidV7(1_764_633_600_000L, 5, 99);

        IdKey a = IdKey.of(id);
        IdKey b = IdKey.of(new String(id.toCharArray()));

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.compareTo(b)).isZero();
        assertThat(a).isNotEqualTo(IdKey.of(uuidV7(1_764_633_600_000L, 5, 100)));
        assertThat(a.compareTo(IdKey.of("zzz"))).isEqualTo(id.compareTo("zzz"));
    }

    @Test
    void givenTextThatIsNotALowerCaseUuidV7_whenHashed_thenItIsTheStringsHash() {
        String v7 = uuidV7(1_764_633_600_000L, 1, 2);
        // A version-4 UUID, the runner's id in capitals, with other separators, with a digit that is not hex, one too long.
        List<String> others = List.of("order-42", "", UUID.randomUUID().toString(), v7.toUpperCase(), v7.replace('-', '_'),
                v7.substring(0, 6) + "g" + v7.substring(7), v7.substring(0, 6) + "`" + v7.substring(7), v7 + "0");

        for (String id : others) assertThat(IdKey.of(id).hashCode()).as(id).isEqualTo(id.hashCode());
        assertThat(IdKey.of(v7).hashCode()).isNotEqualTo(v7.hashCode());
    }

    @Test
    void givenManyIdsMadeToShareOneBin_whenMapped_thenEveryOneIsFoundByItsText() {
        // Same millisecond and same first random bits: one hash, so the map's bin becomes a tree of comparable keys.
        Map<IdKey, Integer> map = new ConcurrentHashMap<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) ids.add(uuidV7(1_764_633_600_000L, 7, i * 1_000_003L));
        for (int i = 0; i < ids.size(); i++) map.put(IdKey.of(ids.get(i)), i);

        assertThat(ids.stream().map(id -> IdKey.of(id).hashCode()).distinct()).hasSize(1);
        for (int i = 0; i < ids.size(); i++) assertThat(map.get(IdKey.of(ids.get(i)))).isEqualTo(i);
        assertThat(map).hasSize(2_000);
    }
}
