package net.reactory.workflow.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class SettableClockTest {

    @Test
    void givenNewClock_whenRead_thenItStandsAtTheDefaultStartUntilMoved() {
        SettableClock clock = new SettableClock();

        assertThat(clock.instant()).isEqualTo(SettableClock.DEFAULT_START).isEqualTo(clock.instant());
    }

    @Test
    void givenClock_whenAdvancedAndSet_thenItReadsTheNewTime() {
        SettableClock clock = new SettableClock(Instant.parse("2030-05-01T10:00:00Z"));

        assertThat(clock.advance(Duration.ofMinutes(90))).isEqualTo(Instant.parse("2030-05-01T11:30:00Z"));
        assertThat(clock.instant()).isEqualTo(Instant.parse("2030-05-01T11:30:00Z"));

        clock.set(Instant.parse("2029-01-01T00:00:00Z"));
        assertThat(clock.instant()).isEqualTo(Instant.parse("2029-01-01T00:00:00Z"));
    }

    @Test
    void givenClock_whenAdvancedByANegativeDuration_thenRefusedNamingTheWayBack() {
        SettableClock clock = new SettableClock();

        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("set(instant)");
        assertThat(clock.instant()).isEqualTo(SettableClock.DEFAULT_START);
    }
}
