package net.reactory.workflow.application.service.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.domain.definition.WorkflowOptions;

class CronScheduleTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @Test
    void givenUtc_whenNextTimeAsked_thenTheExpressionsHourInUtc() {
        CronSchedule nine = new CronSchedule("0 9 * * *", ZoneOffset.UTC);

        assertThat(nine.after(Instant.parse("2026-06-01T00:00:00Z"))).isEqualTo(Instant.parse("2026-06-01T09:00:00Z"));
    }

    @Test
    void givenAZoneWithDaylightSaving_whenNextTimesAsked_thenNineOClockStaysNineOClockLocally() {
        CronSchedule nine = new CronSchedule("0 9 * * *", PARIS);

        assertThat(nine.after(Instant.parse("2026-06-01T00:00:00Z"))).as("summer: UTC+2").isEqualTo(Instant.parse("2026-06-01T07:00:00Z"));
        assertThat(nine.after(Instant.parse("2026-01-15T00:00:00Z"))).as("winter: UTC+1").isEqualTo(Instant.parse("2026-01-15T08:00:00Z"));
        assertThat(nine.atOrBefore(Instant.parse("2026-06-01T12:34:56Z"))).isEqualTo(Instant.parse("2026-06-01T07:00:00Z"));
        // 2026-03-29: clocks go from 02:00 to 03:00 in Paris; the day's 9 o'clock is 07:00 UTC already.
        assertThat(nine.after(Instant.parse("2026-03-28T08:00:00Z"))).isEqualTo(Instant.parse("2026-03-29T07:00:00Z"));
    }

    @Test
    void givenProps_whenParsed_thenTheZoneIsReadAndBadOnesAreNamed() {
        List<String> problems = new ArrayList<>();
        assertThat(WorkflowOptions.parse(Map.of("cron", "0 9 * * *", "cronZone", "Europe/Paris"), problems).cronZone()).isEqualTo(PARIS);
        assertThat(WorkflowOptions.parse(Map.of("cron", "0 9 * * *"), problems).cronZone()).isEqualTo(ZoneOffset.UTC);
        assertThat(problems).isEmpty();

        WorkflowOptions.parse(Map.of("cron", "0 9 * * *", "cronZone", "Mars/Olympus"), problems);
        WorkflowOptions.parse(Map.of("cronZone", "UTC"), problems);

        assertThat(problems).containsExactly(
                "props.cronZone must be a time zone such as UTC or Europe/Paris, was 'Mars/Olympus'",
                "props.cronZone is only read with props.cron, which is missing");
    }
}
