package net.reactory.workflow.adapter.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.application.port.out.EventSubscription;

class WaitsByInstanceTest {

    private static final Instant AT = Instant.parse("2026-12-02T10:00:00Z");

    /** What the index holds for {@code instanceId}: a compute that changes nothing. */
    private static Object held(WaitsByInstance index, String instanceId) {
        return index.compute(instanceId, waits -> waits);
    }

    private static EventSubscription wait(String instanceId, int pointer) {
        return new EventSubscription(instanceId, pointer, "paid", "k-" + instanceId, null, AT);
    }

    @Test
    void givenAnEntry_whenRemappedToNull_thenItIsGoneAndOthersStay() {
        WaitsByInstance index = new WaitsByInstance();
        EventSubscription a = wait("a", 1);
        EventSubscription b = wait("b", 1);
        index.compute("a", v -> a);
        index.compute("b", v -> b);

        index.compute("a", v -> null);

        assertThat(held(index, "a")).isNull();
        assertThat(held(index, "b")).isSameAs(b);
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void givenAnEntry_whenComputed_thenTheRemapSeesWhatIsHeld() {
        WaitsByInstance index = new WaitsByInstance();
        EventSubscription first = wait("a", 1);
        EventSubscription second = wait("a", 2);
        index.compute("a", v -> first);

        Object both = index.compute("a", v -> new EventSubscription[]{(EventSubscription) v, second});

        assertThat((EventSubscription[]) held(index, "a")).containsExactly(first, second);
        assertThat(held(index, "a")).isSameAs(both);
    }

    /**
     * Ids of one millisecond share a few segments, so removals in the middle of a run of colliding entries must move the
     * later ones back: a random mix of inserts and removals, checked against a HashMap.
     */
    @Test
    void givenManyIdsOfFewMilliseconds_whenInsertedAndRemovedAtRandom_thenEveryLookUpAgreesWithAHashMap() {
        WaitsByInstance index = new WaitsByInstance();
        Map<String, Object> expected = new HashMap<>();
        Random random = new Random(42);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) ids.add(uuid7(random, 1_700_000_000_000L + i / 500));
        for (int i = 0; i < 5; i++) ids.add("plain-" + i);

        for (int round = 0; round < 200_000; round++) {
            String id = ids.get(random.nextInt(ids.size()));
            if (random.nextInt(3) == 0) {
                index.compute(id, v -> null);
                expected.remove(id);
            } else {
                EventSubscription w = wait(id, round);
                index.compute(id, v -> w);
                expected.put(id, w);
            }
        }

        assertThat(index.size()).isEqualTo(expected.size());
        for (String id : ids) assertThat(held(index, id)).as(id).isSameAs(expected.get(id));
    }

    /**
     * The waits of instances made together are changed together: their ids' millisecond picks 8 of the 1,024 segments,
     * and the slot's hash within one is random bits only, so a busy millisecond's ids do not pile onto a few home slots.
     */
    @Test
    void givenTenThousandIdsOfOneMillisecond_whenHashed_thenTheyShareEightSegmentsAndSpreadWithinThem() {
        Random random = new Random(7);
        Set<Integer> segments = new HashSet<>();
        Set<Integer> slotHashes = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            int hash = WaitsByInstance.hashOf(uuid7(random, 1_700_000_000_123L));
            segments.add(hash & 1023);
            slotHashes.add(hash >>> 10);
        }
        String nextMillisecond = uuid7(random, 1_700_000_000_124L);

        assertThat(segments).hasSize(8);
        assertThat(segments).doesNotContain(WaitsByInstance.hashOf(nextMillisecond) & 1023);
        // 21 random bits: about 24 of 10,000 collide.
        assertThat(slotHashes.size()).isGreaterThan(9_900);
    }

    @Test
    void givenManyEntries_whenAllRemovedAndSomeAddedAgain_thenTheShrunkTablesStillFindThem() {
        WaitsByInstance index = new WaitsByInstance();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) ids.add(UUID.randomUUID().toString());
        for (String id : ids) index.compute(id, v -> wait(id, 1));

        for (String id : ids) index.compute(id, v -> null);
        assertThat(index.size()).isZero();
        for (String id : ids.subList(0, 100)) index.compute(id, v -> wait(id, 2));

        assertThat(index.size()).isEqualTo(100);
        for (String id : ids.subList(0, 100)) assertThat(((EventSubscription) held(index, id)).pointerId()).isEqualTo(2);
        for (String id : ids.subList(100, 200)) assertThat(held(index, id)).isNull();
    }

    @Test
    void givenThreadsOnOverlappingInstances_whenEachAddsAndRemovesItsOwnPointers_thenNoChangeIsLost() throws Exception {
        WaitsByInstance index = new WaitsByInstance();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) ids.add(UUID.randomUUID().toString());
        int threads = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int pointer = t;
                done.add(pool.submit(() -> {
                    start.await();
                    // Each thread adds its pointer to every instance, then removes it from every other one.
                    for (String id : ids) index.compute(id, v -> withPointer(v, wait(id, pointer)));
                    for (int i = 0; i < ids.size(); i += 2) {
                        String id = ids.get(i);
                        index.compute(id, v -> withoutPointer(v, pointer));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) f.get();
        } finally {
            pool.shutdownNow();
        }

        for (int i = 0; i < ids.size(); i++) {
            Object held = held(index, ids.get(i));
            if (i % 2 == 0) assertThat(held).as(ids.get(i)).isNull();
            else assertThat((EventSubscription[]) held).as(ids.get(i)).hasSize(threads);
        }
        assertThat(index.size()).isEqualTo(ids.size() / 2);
    }

    private static Object withPointer(Object held, EventSubscription added) {
        if (held == null) return new EventSubscription[]{added};
        EventSubscription[] waits = (EventSubscription[]) held;
        EventSubscription[] more = java.util.Arrays.copyOf(waits, waits.length + 1);
        more[waits.length] = added;
        return more;
    }

    private static Object withoutPointer(Object held, int pointer) {
        if (held == null) return null;
        List<EventSubscription> kept = new ArrayList<>();
        for (EventSubscription w : (EventSubscription[]) held) if (w.pointerId() != pointer) kept.add(w);
        return kept.isEmpty() ? null : kept.toArray(EventSubscription[]::new);
    }

    /** A UUIDv7 text of {@code millis}, lower-case, as the runner writes its ids. */
    private static String uuid7(Random random, long millis) {
        long high = millis << 16 | 0x7000L | (random.nextInt() & 0xFFF);
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low).toString();
    }
}
