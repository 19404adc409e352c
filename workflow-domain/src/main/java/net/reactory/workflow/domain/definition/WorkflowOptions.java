package net.reactory.workflow.domain.definition;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The resilience options a workflow declares in its {@code props}, read once and checked on registration.
 * Durations are milliseconds (the original's {@code { timeout: 5000, retries: 3 }}) or {@link Duration}s.
 *
 * @param stepTimeout    {@code timeout}: each attempt of a step that sets no timeout of its own
 * @param deadline       {@code deadline}: the whole instance, counted from its creation; null for none
 * @param onDeadline     {@code onDeadline}: {@code terminate} (default), {@code fail} or {@code suspend}
 * @param maxConcurrent  {@code maxConcurrent}: step bodies of this definition running at once per node; 0 for no limit
 * @param interval       {@code interval}: an auto-start workflow starts again every interval; null for once
 * @param cron           {@code cron}: an auto-start workflow starts at each time of this UNIX cron expression; null for none
 * @param cronZone       {@code cronZone}: the time zone the cron expression's times are read in (an IANA name such as
 *                       {@code Europe/Paris}, so that 9 o'clock stays 9 o'clock across daylight saving); UTC by default
 */
public record WorkflowOptions(Duration stepTimeout, Duration deadline, ErrorBehaviour onDeadline, int maxConcurrent,
                              Duration interval, String cron, ZoneId cronZone) {

    public static final WorkflowOptions NONE = new WorkflowOptions(null, null, ErrorBehaviour.TERMINATE, 0, null, null, ZoneOffset.UTC);

    /** The options of {@code props}; {@code problems} receives every bad value, which then counts as unset. */
    public static WorkflowOptions parse(Map<String, Object> props, List<String> problems) {
        if (props.isEmpty()) return NONE;
        Duration timeout = duration(props, "timeout", problems);
        Duration deadline = duration(props, "deadline", problems);
        Duration interval = duration(props, "interval", problems);
        ErrorBehaviour onDeadline = ErrorBehaviour.TERMINATE;
        Object od = props.get("onDeadline");
        if (od != null) {
            try {
                onDeadline = ErrorBehaviour.valueOf(od.toString().trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add("props.onDeadline must be one of terminate, fail, suspend, compensate, was '" + od + "'");
            }
        }
        int maxConcurrent = 0;
        Object mc = props.get("maxConcurrent");
        if (mc != null) {
            if (mc instanceof Number n && n.doubleValue() >= 1 && n.doubleValue() == Math.rint(n.doubleValue())) maxConcurrent = n.intValue();
            else problems.add("props.maxConcurrent must be a whole number of at least 1, was '" + mc + "'");
        }
        String cron = null;
        Object c = props.get("cron");
        if (c != null) {
            String text = c.toString().trim();
            if (text.split("\\s+").length != 5) {
                problems.add("props.cron must be a UNIX cron expression of five fields (minute hour day month weekday), was '" + c + "'");
            } else {
                cron = text;
            }
        }
        if (interval != null && cron != null) problems.add("props.interval and props.cron exclude each other: give one");
        ZoneId cronZone = ZoneOffset.UTC;
        Object z = props.get("cronZone");
        if (z != null) {
            if (c == null) problems.add("props.cronZone is only read with props.cron, which is missing");
            try {
                cronZone = ZoneId.of(z.toString().trim());
            } catch (DateTimeException e) {
                problems.add("props.cronZone must be a time zone such as UTC or Europe/Paris, was '" + z + "'");
            }
        }
        return new WorkflowOptions(timeout, deadline, onDeadline, maxConcurrent, interval, cron, cronZone);
    }

    /** Reads the options of a workflow already validated; bad values count as unset. */
    public static WorkflowOptions of(Workflow workflow) {
        return parse(workflow.props(), new ArrayList<>());
    }

    public boolean recurs() {
        return interval != null || cron != null;
    }

    /** True once an instance created at {@code createdAt} has passed its deadline. */
    public boolean deadlinePassed(Instant createdAt, Instant now) {
        return deadline != null && !createdAt.plus(deadline).isAfter(now);
    }

    /** Gives the workflow's step timeout to every step that has none of its own. */
    public List<StepDefinition> applyStepDefaults(List<StepDefinition> steps) {
        if (stepTimeout == null) return steps;
        List<StepDefinition> out = new ArrayList<>(steps.size());
        for (StepDefinition s : steps) {
            out.add(s.policy().timeout() != null ? s : s.withPolicy(s.policy().withTimeout(stepTimeout)));
        }
        return out;
    }

    private static Duration duration(Map<String, Object> props, String name, List<String> problems) {
        Object value = props.get(name);
        if (value == null) return null;
        if (value instanceof Duration d && !d.isNegative() && !d.isZero()) return d;
        if (value instanceof Number n && n.doubleValue() >= 1 && n.doubleValue() == Math.rint(n.doubleValue())) {
            return Duration.ofMillis(n.longValue());
        }
        problems.add("props." + name + " must be a whole number of milliseconds of at least 1, was '" + value + "'");
        return null;
    }
}
