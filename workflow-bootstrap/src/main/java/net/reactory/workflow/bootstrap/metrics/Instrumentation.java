package net.reactory.workflow.bootstrap.metrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import net.reactory.workflow.application.port.in.InstanceFilter;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.port.out.LifecycleEventPublisher;
import net.reactory.workflow.application.port.out.RunnerMetrics;
import net.reactory.workflow.application.port.out.WorkSignal;
import net.reactory.workflow.application.service.BreakerStatus;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/**
 * What the daemon adds around the runner for operators: the Prometheus registry, the runner's metrics,
 * timed store and work signal, and the per-minute figures the dashboard charts ({@link StatsSampler}).
 */
public final class Instrumentation {

    /** The runnable backlog gauge counts at most this many, and at most once per this many milliseconds. */
    static final int BACKLOG_CAP = 100_000;
    static final long BACKLOG_CACHE_MILLIS = 2_000;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final WorkflowMetrics metrics = new WorkflowMetrics(registry);
    private final Map<String, AtomicInteger> breakerStates = new ConcurrentHashMap<>();
    private volatile WorkflowRunnerService runner;

    /**
     * The JVM and the process as Micrometer's binders see them: memory pools and buffers, GC pauses, threads,
     * classes, CPU, uptime and open files ({@code jvm_*}, {@code process_*}, {@code system_*}).
     */
    public Instrumentation() {
        List<MeterBinder> binders = List.of(new JvmMemoryMetrics(), gc, new JvmThreadMetrics(), new ClassLoaderMetrics(),
                new JvmInfoMetrics(), new ProcessorMetrics(), new UptimeMetrics(), new FileDescriptorMetrics());
        binders.forEach(b -> b.bindTo(registry));
    }

    /** Stops listening to GC notifications. */
    public void close() {
        gc.close();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public RunnerMetrics metrics() {
        return metrics;
    }

    /** Metrics from retry events. */
    public LifecycleEventPublisher publisher() {
        return metrics;
    }

    public InstanceStore store(InstanceStore store) {
        return new TimedInstanceStore(store, registry);
    }

    public WorkSignal workSignal(WorkSignal signal) {
        return new TimedWorkSignal(signal, registry);
    }

    /** Gauges that read the running runner: instances in flight on this node and the runnable backlog in the store. */
    public void watch(WorkflowRunnerService runner, InstanceStore store) {
        this.runner = runner;
        Gauge.builder("workflow.instances.inflight", runner, r -> r.getState().running())
                .description("instances this node is executing now").register(registry);
        InstanceStore raw = store instanceof TimedInstanceStore timed ? timed.delegate() : store;
        AtomicLong cachedAt = new AtomicLong(Long.MIN_VALUE);
        AtomicLong cached = new AtomicLong();
        Gauge.builder("workflow.instances.runnable", () -> {
            long now = System.currentTimeMillis();
            long at = cachedAt.get();
            if (now - at > BACKLOG_CACHE_MILLIS && cachedAt.compareAndSet(at, now)) {
                try {
                    cached.set(raw.query(InstanceFilter.byStatus(WorkflowStatus.RUNNABLE, BACKLOG_CAP)).size());
                } catch (RuntimeException e) {
                    cached.set(-1);
                }
            }
            return cached.get();
        }).description("runnable instances in the store (the backlog), counted at most every 2 s, capped at 100000; -1 when the store fails")
                .register(registry);
    }

    /** Breaker state gauges are added as breakers appear: 0 closed, 1 half-open, 2 open. */
    public String scrape() {
        WorkflowRunnerService r = runner;
        if (r != null) {
            try {
                for (BreakerStatus b : r.breakerStates().values()) {
                    AtomicInteger state = breakerStates.computeIfAbsent(b.name(), name -> {
                        AtomicInteger holder = new AtomicInteger();
                        Gauge.builder("workflow.breaker.state", holder, AtomicInteger::get).tag("breaker", name)
                                .description("circuit breaker state: 0 closed, 1 half-open, 2 open").register(registry);
                        return holder;
                    });
                    state.set(switch (b.state()) {
                        case "OPEN" -> 2;
                        case "HALF_OPEN" -> 1;
                        default -> 0;
                    });
                }
            } catch (RuntimeException e) {
                // The breaker gauges keep their last values.
            }
        }
        return registry.scrape();
    }
}
