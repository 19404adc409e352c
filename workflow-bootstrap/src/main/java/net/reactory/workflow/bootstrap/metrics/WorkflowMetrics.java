package net.reactory.workflow.bootstrap.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import net.reactory.workflow.application.port.out.LifecycleEventPublisher;
import net.reactory.workflow.application.port.out.RunnerMetrics;
import net.reactory.workflow.domain.definition.DefinitionKey;
import net.reactory.workflow.domain.instance.WorkflowEvent;

/**
 * The runner's counters in Micrometer. Meters are resolved once per definition and step and kept in
 * maps keyed by the objects the runner already holds, so the hot path does a map lookup and an
 * increment, never a string concatenation or a registry lookup.
 */
public final class WorkflowMetrics implements RunnerMetrics, LifecycleEventPublisher {

    static final Duration[] STEP_BUCKETS = {
            Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30)};

    /** Workflows last from milliseconds (a burst of steps) to weeks (waiting for events): buckets for both. */
    static final Duration[] INSTANCE_BUCKETS = {
            Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(10),
            Duration.ofHours(1), Duration.ofHours(6), Duration.ofDays(1), Duration.ofDays(7), Duration.ofDays(30)};

    private final MeterRegistry registry;
    private final Map<DefinitionKey, DefinitionMeters> definitions = new ConcurrentHashMap<>();
    private final Counter leasesClaimed;
    private final Counter leasesLost;
    private final Counter storeErrors;

    public WorkflowMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.leasesClaimed = Counter.builder("workflow.leases.claimed").description("instances claimed by this node (lease taken)").register(registry);
        this.leasesLost = Counter.builder("workflow.leases.lost")
                .description("saves refused because the instance changed under this node (lost lease or concurrent command)").register(registry);
        this.storeErrors = Counter.builder("workflow.runner.store.errors").description("store failures seen by the runner").register(registry);
    }

    @Override
    public void instanceStarted(DefinitionKey definition) {
        meters(definition).started.increment();
    }

    @Override
    public void instanceFinished(DefinitionKey definition, String status) {
        DefinitionMeters m = meters(definition);
        switch (status) {
            case "COMPLETE" -> m.completed.increment();
            case "FAILED" -> m.failed.increment();
            case "TERMINATED" -> m.terminated.increment();
            default -> { }
        }
    }

    @Override
    public void instanceFinished(DefinitionKey definition, String status, Duration duration) {
        instanceFinished(definition, status);
        Timer timer = switch (status) {
            case "COMPLETE" -> meters(definition).completedIn;
            case "FAILED" -> meters(definition).failedIn;
            case "TERMINATED" -> meters(definition).terminatedIn;
            default -> null;
        };
        if (timer != null && !duration.isNegative()) timer.record(duration.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void stepExecuted(DefinitionKey definition, String step, Duration duration, boolean failed) {
        Timer[] timers = meters(definition).steps.computeIfAbsent(step, s -> stepTimers(definition, s));
        timers[failed ? 1 : 0].record(duration.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void staleWrite() {
        leasesLost.increment();
    }

    @Override
    public void leaseClaimed(int count) {
        leasesClaimed.increment(count);
    }

    @Override
    public void storeError() {
        storeErrors.increment();
    }

    /** Retries are counted from the runner's lifecycle events. */
    @Override
    public void publish(List<WorkflowEvent> events) {
        for (WorkflowEvent event : events) {
            if (event instanceof WorkflowEvent.RetryScheduled retry) {
                meters(retry.definition()).retries.increment();
            }
        }
    }

    private DefinitionMeters meters(DefinitionKey definition) {
        DefinitionMeters m = definitions.get(definition);
        return m != null ? m : definitions.computeIfAbsent(definition, d -> new DefinitionMeters(registry, d.toString()));
    }

    private Timer[] stepTimers(DefinitionKey definition, String step) {
        String tag = definition.toString();
        return new Timer[]{stepTimer(tag, step, "ok"), stepTimer(tag, step, "failed")};
    }

    private Timer stepTimer(String definition, String step, String outcome) {
        return Timer.builder("workflow.step.duration").description("time a step body took")
                .tags("definition", definition, "step", step, "outcome", outcome)
                .serviceLevelObjectives(STEP_BUCKETS).register(registry);
    }

    private static final class DefinitionMeters {
        final Counter started;
        final Counter completed;
        final Counter failed;
        final Counter terminated;
        final Counter retries;
        final Timer completedIn;
        final Timer failedIn;
        final Timer terminatedIn;
        final Map<String, Timer[]> steps = new ConcurrentHashMap<>();

        DefinitionMeters(MeterRegistry registry, String definition) {
            started = counter(registry, "workflow.instances.started", "instances started", definition);
            completed = counter(registry, "workflow.instances.completed", "instances that completed", definition);
            failed = counter(registry, "workflow.instances.failed", "instances that failed", definition);
            terminated = counter(registry, "workflow.instances.terminated", "instances terminated", definition);
            retries = counter(registry, "workflow.step.retries", "step retries scheduled", definition);
            completedIn = duration(registry, definition, "completed");
            failedIn = duration(registry, definition, "failed");
            terminatedIn = duration(registry, definition, "terminated");
        }

        private static Timer duration(MeterRegistry registry, String definition, String outcome) {
            return Timer.builder("workflow.instance.duration").description("time from an instance's start to its end")
                    .tags("definition", definition, "outcome", outcome)
                    // Buckets, not client-side percentiles: Prometheus computes any percentile from them
                    // (histogram_quantile), across nodes too, and drops a histogram's client-side percentiles anyway.
                    .serviceLevelObjectives(INSTANCE_BUCKETS).register(registry);
        }

        private static Counter counter(MeterRegistry registry, String name, String description, String definition) {
            return Counter.builder(name).description(description).tag("definition", definition).register(registry);
        }
    }
}
