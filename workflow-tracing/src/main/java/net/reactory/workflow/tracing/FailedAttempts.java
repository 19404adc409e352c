package net.reactory.workflow.tracing;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import io.opentelemetry.api.trace.Span;

/**
 * The spans of failed step attempts, left open from the end of the attempt until the commit that records what follows
 * the failure: the runner decides whether to retry (and when) only after the attempt returned, so that is where the
 * {@code retry.scheduled} event comes from, and it belongs on the failed attempt's span. A span whose commit never
 * comes (the save was stale, another node had taken the instance) is ended after {@link #MAX_OPEN_NANOS}, or when more
 * than {@link #MAX_OPEN} are open, so nothing is held for long and every span is exported.
 */
final class FailedAttempts {

    /** Longer than any commit takes, short enough that a span whose commit never came is still exported soon. */
    static final long MAX_OPEN_NANOS = TimeUnit.SECONDS.toNanos(30);
    static final int MAX_OPEN = 10_000;

    /** One open span: its step and attempt, and the error type of its failure, for the commit's retry to find it by. */
    record Open(Span span, String step, int attempt, String errorType, long since) {
    }

    private final Map<String, List<Open>> byInstance = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final LongSupplier nanos;
    private volatile long lastSweep;

    FailedAttempts(LongSupplier nanos) {
        this.nanos = nanos;
        this.lastSweep = nanos.getAsLong();
    }

    /** Keeps {@code span} open until the commit of its instance's next transition. */
    void park(String instanceId, Span span, String step, int attempt, String errorType) {
        long now = nanos.getAsLong();
        byInstance.compute(instanceId, (id, list) -> {
            List<Open> spans = list == null ? new ArrayList<>(1) : list;
            spans.add(new Open(span, step, attempt, errorType, now));
            return spans;
        });
        if (open.incrementAndGet() > MAX_OPEN) endAll();
        else if (now - lastSweep > MAX_OPEN_NANOS) sweep(now);
    }

    /** Whether any span is open: the commits of a workflow without failures look no further. */
    boolean isEmpty() {
        return open.get() == 0;
    }

    /** The open spans of {@code instanceId}, now the caller's to end; empty when there are none. */
    List<Open> take(String instanceId) {
        List<Open> spans = byInstance.remove(instanceId);
        if (spans == null) return List.of();
        open.addAndGet(-spans.size());
        long now = nanos.getAsLong();
        if (now - lastSweep > MAX_OPEN_NANOS) sweep(now);
        return spans;
    }

    /** Ends the spans open longer than {@link #MAX_OPEN_NANOS}: their commit is not coming. */
    private void sweep(long now) {
        lastSweep = now;
        for (String id : byInstance.keySet()) {
            byInstance.computeIfPresent(id, (key, spans) -> {
                for (Iterator<Open> it = spans.iterator(); it.hasNext(); ) {
                    Open o = it.next();
                    if (now - o.since() > MAX_OPEN_NANOS) {
                        it.remove();
                        open.decrementAndGet();
                        o.span().end();
                    }
                }
                return spans.isEmpty() ? null : spans;
            });
        }
    }

    private void endAll() {
        for (String id : byInstance.keySet()) {
            for (Open o : take(id)) o.span().end();
        }
    }
}
