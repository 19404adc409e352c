package net.reactory.workflow.bootstrap.metrics;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;

/**
 * Per-minute figures from the daemon's own meters, for the dashboard's charts: instances started, completed and
 * failed, and the median and 99th percentile of step durations. Every few seconds it notes the meters' totals at the
 * start of the minute; a minute's figures are the difference between its start and the next one's (or now). The
 * percentiles come from the step timers' histogram buckets, so they are the bucket bounds
 * ({@link WorkflowMetrics#STEP_BUCKETS}): coarse, never invented. Keeps {@link #KEPT_MINUTES} minutes.
 */
public final class StatsSampler implements AutoCloseable {

    static final int KEPT_MINUTES = 180;
    private static final long TICK_SECONDS = 5;

    /** The meters' totals at one moment. */
    record Totals(double started, double completed, double failed, NavigableMap<Double, Double> stepBuckets, double steps) {
    }

    /** One minute's figures; the percentiles are null when no step ran. */
    public record Point(Instant at, long started, long completed, long failed, Double p50Ms, Double p99Ms) {
    }

    private final MeterRegistry registry;
    private final InstantSource clock;
    private final ConcurrentSkipListMap<Instant, Totals> minuteStarts = new ConcurrentSkipListMap<>();
    private ScheduledExecutorService timer;

    public StatsSampler(MeterRegistry registry, InstantSource clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** Notes the totals every few seconds, from a daemon thread of its own, until closed. */
    public synchronized StatsSampler start() {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("stats-sampler").daemon(true).factory());
            timer.scheduleAtFixedRate(this::tickSafely, 0, TICK_SECONDS, TimeUnit.SECONDS);
        }
        return this;
    }

    @Override
    public synchronized void close() {
        if (timer != null) timer.shutdownNow();
        timer = null;
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            // A failed read of the meters costs one sample; the next tick tries again.
        }
    }

    /** Notes the totals as the start of the current minute, if that minute has none yet. */
    void tick() {
        Instant minute = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        if (!minuteStarts.containsKey(minute)) minuteStarts.putIfAbsent(minute, totals());
        while (minuteStarts.size() > KEPT_MINUTES) minuteStarts.pollFirstEntry();
    }

    /** The last {@code minutes} minutes that have figures, oldest first; the current minute so far is the last. */
    public List<Point> series(int minutes) {
        tick();
        Instant now = clock.instant();
        Instant current = now.truncatedTo(ChronoUnit.MINUTES);
        Instant first = current.minus(Duration.ofMinutes(minutes - 1L));
        Totals latest = totals();
        List<Point> points = new ArrayList<>();
        for (Map.Entry<Instant, Totals> e : minuteStarts.tailMap(first, true).entrySet()) {
            Map.Entry<Instant, Totals> following = minuteStarts.higherEntry(e.getKey());
            Totals end = following == null ? latest : following.getValue();
            points.add(point(e.getKey(), e.getValue(), end));
        }
        return points;
    }

    private static Point point(Instant at, Totals from, Totals to) {
        NavigableMap<Double, Double> buckets = new TreeMap<>();
        to.stepBuckets().forEach((bound, count) -> buckets.put(bound, count - from.stepBuckets().getOrDefault(bound, 0.0)));
        double steps = to.steps() - from.steps();
        return new Point(at, round(to.started() - from.started()), round(to.completed() - from.completed()),
                round(to.failed() - from.failed()), percentile(buckets, steps, 0.50), percentile(buckets, steps, 0.99));
    }

    /** The smallest bucket bound, in milliseconds, under which the quantile of the steps fell; the largest bound past the last bucket. */
    private static Double percentile(NavigableMap<Double, Double> cumulative, double total, double quantile) {
        if (total <= 0) return null;
        double wanted = total * quantile;
        for (Map.Entry<Double, Double> b : cumulative.entrySet()) {
            if (b.getValue() >= wanted) return b.getKey() / 1_000_000.0;
        }
        return cumulative.isEmpty() ? null : cumulative.lastKey() / 1_000_000.0;
    }

    private static long round(double d) {
        return Math.max(0, Math.round(d));
    }

    private Totals totals() {
        double started = sum("workflow.instances.started");
        double completed = sum("workflow.instances.completed");
        double failed = sum("workflow.instances.failed");
        NavigableMap<Double, Double> buckets = new TreeMap<>();
        double steps = 0;
        for (Timer t : registry.find("workflow.step.duration").timers()) {
            var snapshot = t.takeSnapshot();
            steps += snapshot.count();
            for (CountAtBucket b : snapshot.histogramCounts()) {
                buckets.merge(b.bucket(TimeUnit.NANOSECONDS), b.count(), Double::sum);
            }
        }
        return new Totals(started, completed, failed, buckets, steps);
    }

    private double sum(String counter) {
        double total = 0;
        for (Counter c : registry.find(counter).counters()) total += c.count();
        return total;
    }
}
