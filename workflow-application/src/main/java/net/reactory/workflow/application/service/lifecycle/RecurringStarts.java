package net.reactory.workflow.application.service.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import net.reactory.workflow.application.port.in.StartRequest;
import net.reactory.workflow.application.service.definition.DefinitionOptions;
import net.reactory.workflow.domain.definition.InvalidWorkflowException;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.definition.WorkflowDefinition;
import net.reactory.workflow.domain.definition.WorkflowOptions;

/**
 * Auto-start workflows with {@code props.interval} or {@code props.cron} start again at every tick. Ticks are
 * times every node computes alike (interval ticks are aligned on the epoch; cron ticks are the expression's
 * times in {@code props.cronZone}, UTC by default), and each start carries the reference {@code auto-start:<workflow>@<tick>}: however many
 * nodes fire a tick, the store keeps one instance of it. A node fires the tick current at initialisation,
 * then each later one; ticks it missed (a long pause) are caught up, at most {@value #MAX_CATCH_UP} at once.
 */
public final class RecurringStarts {

    private static final Logger log = LoggerFactory.getLogger(RecurringStarts.class);
    static final int MAX_CATCH_UP = 100;

    /** When a recurring workflow's ticks fall. */
    public interface Schedule {
        /** The latest tick at or before {@code now}, or null when there is none. */
        Instant atOrBefore(Instant now);

        /** The first tick strictly after {@code tick}, or null when there is none. */
        Instant after(Instant tick);
    }

    public interface Starter {
        CompletableFuture<String> start(WorkflowDefinition definition, StartRequest request);
    }

    private static final class Entry {
        final WorkflowDefinition definition;
        final Schedule schedule;
        Instant lastFired;
        final List<Instant> failed = new ArrayList<>();

        Entry(WorkflowDefinition definition, Schedule schedule) {
            this.definition = definition;
            this.schedule = schedule;
        }
    }

    private final InstantSource clock;
    private final Starter starter;
    private final List<Entry> entries = new ArrayList<>();
    private volatile ScheduledExecutorService timer;

    public RecurringStarts(InstantSource clock, Starter starter) {
        this.clock = clock;
        this.starter = starter;
    }

    /** The schedule of a definition, or null when it does not recur. */
    public static Schedule scheduleOf(WorkflowDefinition definition) {
        WorkflowOptions options = DefinitionOptions.of(definition);
        if (options.interval() != null) return new IntervalSchedule(options.interval());
        if (options.cron() != null) return new CronSchedule(options.cron(), options.cronZone());
        return null;
    }

    /**
     * Checks a workflow's {@code props.cron} with the parser, beyond the domain's shape check, so that a bad
     * expression is refused on registration rather than on {@code initialize()}.
     *
     * @return the workflow, when its cron expression (if any) parses
     * @throws InvalidWorkflowException naming the expression and what is wrong with it
     */
    public static Workflow checkCron(Workflow workflow) {
        Object cron = workflow == null ? null : workflow.props().get("cron");
        if (cron instanceof String text && text.trim().split("\\s+").length == 5) {
            try {
                new CronSchedule(text.trim());
            } catch (IllegalArgumentException e) {
                throw new InvalidWorkflowException(workflow.key(), List.of("props.cron: " + e.getMessage()));
            }
        }
        return workflow;
    }

    /** Adds a recurring definition and fires its current tick. */
    public synchronized List<CompletableFuture<String>> add(WorkflowDefinition definition, Schedule schedule) {
        Entry entry = new Entry(definition, schedule);
        entries.removeIf(e -> e.definition.key().equals(definition.key())); // initialized again after a stop
        entries.add(entry);
        List<CompletableFuture<String>> started = new ArrayList<>();
        Instant tick = schedule.atOrBefore(clock.instant());
        if (tick != null) {
            started.add(fire(entry, tick));
            entry.lastFired = tick;
        }
        return started;
    }

    /** From now on, wakes itself at each next tick (the poller calls {@link #fireDue} too). */
    public void startTimer(ScheduledExecutorService timer) {
        this.timer = timer;
        scheduleNext();
    }

    /** Fires every tick due by {@code now} that this node has not fired yet, and the ticks whose start failed. */
    public synchronized void fireDue(Instant now) {
        for (Entry entry : entries) {
            List<Instant> retry = new ArrayList<>(entry.failed);
            entry.failed.clear();
            for (Instant tick : retry) fire(entry, tick);
            Instant next = entry.lastFired == null ? entry.schedule.atOrBefore(now) : entry.schedule.after(entry.lastFired);
            for (int n = 0; next != null && !next.isAfter(now) && n < MAX_CATCH_UP; n++) {
                fire(entry, next);
                entry.lastFired = next;
                next = entry.schedule.after(next);
            }
        }
    }

    private synchronized Instant nextDue() {
        Instant earliest = null;
        for (Entry entry : entries) {
            Instant next = entry.lastFired == null ? null : entry.schedule.after(entry.lastFired);
            if (next != null && (earliest == null || next.isBefore(earliest))) earliest = next;
        }
        return earliest;
    }

    private void scheduleNext() {
        ScheduledExecutorService t = timer;
        Instant next = nextDue();
        if (t == null || next == null || t.isShutdown()) return;
        long delay = Math.max(1, Duration.between(clock.instant(), next).toMillis());
        try {
            t.schedule(() -> {
                try {
                    fireDue(clock.instant());
                } catch (RuntimeException e) {
                    log.warn("recurring starts failed: {}", e.toString());
                }
                scheduleNext();
            }, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // The runner stops.
        }
    }

    private CompletableFuture<String> fire(Entry entry, Instant tick) {
        WorkflowDefinition definition = entry.definition;
        String reference = reference(definition, tick);
        StartRequest request = new StartRequest(definition.key().toString(), null, Map.of("when", tick.toString()),
                reference, "system", "auto-start");
        CompletableFuture<String> started;
        try {
            started = starter.start(definition, request);
        } catch (RuntimeException e) {
            started = CompletableFuture.failedFuture(e);
        }
        return started.whenComplete((id, error) -> {
            if (error != null) {
                log.warn("auto-start of {} for tick {} failed, tried again at the next poll: {}", definition.key(), tick, error.toString());
                synchronized (this) {
                    entry.failed.add(tick);
                }
            }
        });
    }

    /** The same on every node, so that each tick starts one instance in a cluster. */
    static String reference(WorkflowDefinition definition, Instant tick) {
        return "auto-start:" + definition.key() + "@" + tick;
    }

    /** Ticks every {@code interval}, aligned on the epoch so that every node computes the same ones. */
    record IntervalSchedule(Duration interval) implements Schedule {
        @Override
        public Instant atOrBefore(Instant now) {
            long every = interval.toMillis();
            return Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), every) * every);
        }

        @Override
        public Instant after(Instant tick) {
            return atOrBefore(tick).plus(interval);
        }
    }
}
