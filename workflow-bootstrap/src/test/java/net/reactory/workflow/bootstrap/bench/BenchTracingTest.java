package net.reactory.workflow.bootstrap.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.adapter.memory.MemoryEventStore;
import net.reactory.workflow.adapter.memory.MemoryInstanceStore;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/** {@code bench --tracing}: off by default and registering nothing; drop makes every span and exports them to nothing. */
class BenchTracingTest {

    @Test
    void givenNoTracingOption_whenParsed_thenTracingIsOffAndDropIsRefusedThroughAmqp() {
        assertThat(BenchOptions.parse(new String[0]).tracing()).isEqualTo("off");
        assertThat(BenchOptions.parse(new String[] {"--tracing", "drop"}).tracing()).isEqualTo("drop");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--tracing", "otlp"}))
                .isInstanceOf(BenchOptions.UsageException.class).hasMessage("--tracing 'otlp' is not one of off, drop");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--via", "amqp", "--tracing", "drop"}))
                .isInstanceOf(BenchOptions.UsageException.class).hasMessage("--tracing drop runs with --via direct");
        assertThat(BenchOptions.USAGE).contains("--tracing off|drop");
    }

    @Test
    void givenTracingDrop_whenAW3WorkflowRuns_thenEverySpanOfItReachesTheDroppingExporter() throws Exception {
        try (BenchTracing tracing = BenchTracing.of("drop"); BenchTracing off = BenchTracing.of("off")) {
            assertThat(off.isOn()).isFalse();
            assertThat(off.exportedSpans()).isZero();
            WorkflowRunnerService runner = tracing.register(WorkflowRunnerService.builder()).store(new MemoryInstanceStore())
                    .eventStore(new MemoryEventStore()).workflow(BenchWorkloads.workflow("w3")).build();
            runner.initialize().get(10, TimeUnit.SECONDS);
            try {
                String id = runner.startWorkflow("bench.W3", null, BenchWorkloads.data("w3", 0)).get(10, TimeUnit.SECONDS);
                assertThat(runner.awaitFinished(id, Duration.ofSeconds(10)).join().status()).isEqualTo(WorkflowStatus.COMPLETE);
            } finally {
                runner.stop().get(10, TimeUnit.SECONDS);
            }
            // The workflow span, three step spans and workflow.end.
            assertThat(tracing.exportedSpans()).isEqualTo(5);
            tracing.reset();
            assertThat(tracing.exportedSpans()).isZero();
        }
    }
}
