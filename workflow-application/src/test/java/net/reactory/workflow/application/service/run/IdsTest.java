package net.reactory.workflow.application.service.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.application.service.SettableClock;

class IdsTest {

    @Test
    void givenOneClockMillisecond_whenAMillionIdsMade_thenAllDistinctAndShapedAsVersion7Uuids() {
        Ids ids = new Ids(InstantSource.fixed(Instant.parse("2026-01-31T12:00:00.123Z")));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1_000_000; i++) {
            String id = ids.next();
            assertThat(seen.add(id)).as("id %s made twice", id).isTrue();
            if (i % 1000 == 0) {
                UUID parsed = UUID.fromString(id);
                assertThat(parsed.version()).isEqualTo(7);
                assertThat(parsed.variant()).isEqualTo(2);
                assertThat(parsed.toString()).isEqualTo(id);
                assertThat(parsed.getMostSignificantBits() >>> 16).isEqualTo(Instant.parse("2026-01-31T12:00:00.123Z").toEpochMilli());
            }
        }
    }

    @Test
    void givenIdsMadeOneAfterAnother_whenCompared_thenTheyDoNotCountUpFromTheirNeighbour() {
        Ids ids = new Ids(InstantSource.fixed(Instant.parse("2026-01-31T12:00:00Z")));
        UUID a = UUID.fromString(ids.next());
        UUID b = UUID.fromString(ids.next());

        long randomBitsDiffering = Long.bitCount(a.getLeastSignificantBits() ^ b.getLeastSignificantBits());
        assertThat(b.getLeastSignificantBits() - a.getLeastSignificantBits()).isNotEqualTo(1L);
        assertThat(randomBitsDiffering).as("62 random bits, about half of them differ").isGreaterThan(8);
    }

    @Test
    void givenAClockMovingOn_whenIdsMade_thenTheySortByTheirTime() {
        SettableClock clock = new SettableClock(Instant.parse("2026-01-31T12:00:00Z"));
        Ids ids = new Ids(clock);
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            made.add(ids.next());
            clock.advance(java.time.Duration.ofMillis(1));
        }

        assertThat(made).isSorted();
    }
}
