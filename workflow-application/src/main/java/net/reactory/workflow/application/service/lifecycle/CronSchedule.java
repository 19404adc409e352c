package net.reactory.workflow.application.service.lifecycle;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

/**
 * A UNIX cron expression (minute hour day-of-month month day-of-week) read in a time zone, the one place that touches
 * the cron-utils library: parsing cron with its ranges, steps, lists and names, and computing the next time
 * across months of different lengths, is what a well-kept parser is for.
 */
final class CronSchedule implements RecurringStarts.Schedule {

    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private final String expression;
    private final ZoneId zone;
    private final ExecutionTime times;

    CronSchedule(String expression) {
        this(expression, ZoneOffset.UTC);
    }

    /** @throws IllegalArgumentException naming the expression and what is wrong with it */
    CronSchedule(String expression, ZoneId zone) {
        this.expression = expression;
        this.zone = zone;
        try {
            this.times = ExecutionTime.forCron(PARSER.parse(expression).validate());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cron expression '" + expression + "' is invalid: " + e.getMessage(), e);
        }
    }

    @Override
    public Instant atOrBefore(Instant now) {
        ZonedDateTime minute = now.atZone(zone).truncatedTo(ChronoUnit.MINUTES);
        if (times.isMatch(minute)) return minute.toInstant();
        return times.lastExecution(minute).map(ZonedDateTime::toInstant).orElse(null);
    }

    @Override
    public Instant after(Instant tick) {
        return times.nextExecution(tick.atZone(zone)).map(ZonedDateTime::toInstant).orElse(null);
    }

    @Override
    public String toString() {
        return "cron '" + expression + "' in " + zone;
    }
}
