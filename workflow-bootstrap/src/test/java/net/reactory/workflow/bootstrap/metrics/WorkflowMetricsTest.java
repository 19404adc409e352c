package net.reactory.workflow.bootstrap.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import net.reactory.workflow.domain.definition.DefinitionKey;
import net.reactory.workflow.domain.instance.WorkflowEvent;

class WorkflowMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final WorkflowMetrics metrics = new WorkflowMetrics(registry);
    private final DefinitionKey order = DefinitionKey.of("shop", "Order", "1.0.0");

    @Test
    void givenRunnerCalls_whenCounted_thenEachOutcomeHasItsCounterPerDefinition() {
        for (int i = 0; i < 5; i++) metrics.instanceStarted(order);
        metrics.instanceFinished(order, "COMPLETE");
        metrics.instanceFinished(order, "COMPLETE");
        metrics.instanceFinished(order, "FAILED");
        metrics.instanceFinished(order, "TERMINATED");
        metrics.instanceFinished(DefinitionKey.of("shop", "Refund", "2.0.0"), "COMPLETE");
        metrics.leaseClaimed(3);
        metrics.staleWrite();
        metrics.storeError();
        metrics.publish(List.of(new WorkflowEvent.RetryScheduled("i-1", order, 2, Instant.EPOCH, "Pay", 2, Instant.EPOCH)));

        assertThat(count("workflow.instances.started", "shop.Order@1.0.0")).isEqualTo(5);
        assertThat(count("workflow.instances.completed", "shop.Order@1.0.0")).isEqualTo(2);
        assertThat(count("workflow.instances.failed", "shop.Order@1.0.0")).isEqualTo(1);
        assertThat(count("workflow.instances.terminated", "shop.Order@1.0.0")).isEqualTo(1);
        assertThat(count("workflow.instances.completed", "shop.Refund@2.0.0")).isEqualTo(1);
        assertThat(count("workflow.step.retries", "shop.Order@1.0.0")).isEqualTo(1);
        assertThat(registry.get("workflow.leases.claimed").counter().count()).isEqualTo(3);
        assertThat(registry.get("workflow.leases.lost").counter().count()).isEqualTo(1);
        assertThat(registry.get("workflow.runner.store.errors").counter().count()).isEqualTo(1);
    }

    @Test
    void givenStepsExecuted_whenTimed_thenOneTimerPerStepAndOutcomeIsResolvedOnceAndReused() {
        metrics.stepExecuted(order, "Pay", Duration.ofMillis(3), false);
        int meters = registry.getMeters().size();
        for (int i = 0; i < 1000; i++) metrics.stepExecuted(order, "Pay", Duration.ofMillis(3), false);
        metrics.stepExecuted(order, "Pay", Duration.ofMillis(40), true);

        assertThat(registry.getMeters()).as("no meter is created on the hot path once resolved").hasSize(meters);
        assertThat(registry.get("workflow.step.duration").tags("definition", "shop.Order@1.0.0", "step", "Pay", "outcome", "ok").timer().count()).isEqualTo(1001);
        assertThat(registry.get("workflow.step.duration").tags("step", "Pay", "outcome", "failed").timer().totalTime(java.util.concurrent.TimeUnit.MILLISECONDS))
                .isEqualTo(40.0);
    }

    @Test
    void givenInstrumentation_whenScraped_thenPrometheusTextHasTheDocumentedNames() {
        Instrumentation instrumentation = new Instrumentation();
        instrumentation.metrics().instanceStarted(order);
        instrumentation.metrics().stepExecuted(order, "Pay", Duration.ofMillis(2), false);
        String text = instrumentation.scrape();
        assertThat(text).contains("workflow_instances_started_total{definition=\"shop.Order@1.0.0\"} 1.0")
                .contains("workflow_step_duration_seconds_bucket{definition=\"shop.Order@1.0.0\",outcome=\"ok\",step=\"Pay\",le=\"0.005\"} 1")
                .contains("workflow_leases_claimed_total 0.0");
    }

    @Test
    void givenInstancesThatEnded_whenTimed_thenEachDefinitionAndOutcomeHasADurationHistogramWithPercentiles() {
        for (int seconds = 1; seconds <= 100; seconds++) metrics.instanceFinished(order, "COMPLETE", Duration.ofSeconds(seconds));
        metrics.instanceFinished(order, "FAILED", Duration.ofMinutes(5));

        var completed = registry.get("workflow.instance.duration").tags("definition", "shop.Order@1.0.0", "outcome", "completed").timer();
        assertThat(completed.count()).isEqualTo(100);
        assertThat(completed.max(java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(100.0);
        var snapshot = completed.takeSnapshot();
        assertThat(snapshot.histogramCounts()).extracting(b -> b.bucket(java.util.concurrent.TimeUnit.SECONDS))
                .containsExactly(0.1, 1.0, 10.0, 60.0, 600.0, 3600.0, 21600.0, 86400.0, 604800.0, 2592000.0);
        // What histogram_quantile(0.5, ...) reads: half of the instances took at most a minute, all of them ten.
        assertThat(snapshot.histogramCounts()).extracting(b -> b.count()).startsWith(0.0, 1.0, 10.0, 60.0, 100.0);
        assertThat(registry.get("workflow.instance.duration").tags("outcome", "failed").timer().count()).isEqualTo(1);
        assertThat(count("workflow.instances.completed", "shop.Order@1.0.0")).as("still counted").isEqualTo(100);
    }

    @Test
    void givenInstrumentation_whenScraped_thenJvmAndProcessMetersAndTheInstanceDurationAreThere() {
        Instrumentation instrumentation = new Instrumentation();
        try {
            instrumentation.metrics().instanceFinished(order, "COMPLETE", Duration.ofMillis(1500));
            String text = instrumentation.scrape();
            assertThat(text).contains("jvm_memory_used_bytes{area=\"heap\"", "jvm_memory_max_bytes", "jvm_buffer_memory_used_bytes",
                    "jvm_threads_live_threads", "jvm_threads_states_threads", "jvm_classes_loaded_classes", "jvm_gc_memory_allocated_bytes_total",
                    "process_cpu_usage", "system_cpu_count", "process_uptime_seconds", "process_start_time_seconds",
                    "process_files_open_files", "process_files_max_files", "jvm_info{");
            assertThat(text).contains("workflow_instance_duration_seconds_bucket{definition=\"shop.Order@1.0.0\",outcome=\"completed\",le=\"10.0\"} 1")
                    .contains("workflow_instance_duration_seconds_count{definition=\"shop.Order@1.0.0\",outcome=\"completed\"} 1")
                    .contains("workflow_instance_duration_seconds_sum{definition=\"shop.Order@1.0.0\",outcome=\"completed\"} 1.5");
        } finally {
            instrumentation.close();
        }
    }

    @Test
    void givenTheDaemon_whenItsStartupWorkflowCompletes_thenItsDurationIsInTheHistogram() throws Exception {
        Instrumentation instrumentation = new Instrumentation();
        var daemon = net.reactory.workflow.bootstrap.Daemon.create(net.reactory.workflow.bootstrap.Settings.fromEnvironment(java.util.Map.of()),
                new net.reactory.workflow.bootstrap.plugins.OperatorModule(net.reactory.workflow.bootstrap.config.OperatorConfig.defaults(),
                        net.reactory.workflow.bootstrap.plugins.LoadedPlugins.NONE, instrumentation));
        daemon.start();
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(instrumentation.scrape())
                    .contains("workflow_instance_duration_seconds_count{definition=\"reactory.Startup@1.0.0\",outcome=\"completed\"} 1"));
        } finally {
            daemon.stop();
            instrumentation.close();
        }
    }

    @Test
    void givenTimedStore_whenCallsSucceedAndFail_thenLatencyIsTimedPerOperationAndErrorsAreCounted() {
        TimedInstanceStore store = new TimedInstanceStore(new net.reactory.workflow.adapter.memory.MemoryInstanceStore(), registry);
        store.load("nobody");
        store.load("nobody");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.save(null, 1, List.of())).isInstanceOf(RuntimeException.class);

        assertThat(registry.get("workflow.store.calls").tag("operation", "load").timer().count()).isEqualTo(2);
        assertThat(registry.get("workflow.store.errors").tag("operation", "load").counter().count()).isZero();
        assertThat(registry.get("workflow.store.calls").tag("operation", "save").timer().count()).isEqualTo(1);
        assertThat(registry.get("workflow.store.errors").tag("operation", "save").counter().count()).isEqualTo(1);
    }

    private double count(String name, String definition) {
        return registry.get(name).tag("definition", definition).counter().count();
    }
}
