package net.reactory.workflow.bootstrap.bench;

import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;

import net.reactory.workflow.application.service.WorkflowRunnerBuilder;
import net.reactory.workflow.tracing.WorkflowTracing;

/**
 * {@code bench --tracing}: {@code off} registers nothing, as a daemon without {@code OTEL_TRACES_EXPORTER}; {@code drop}
 * registers {@link WorkflowTracing} on an OpenTelemetry SDK that samples every span and hands them, through the batch
 * processor the daemon's autoconfiguration uses (its defaults), to an exporter that drops them: the cost of making the
 * spans, without that of a collector.
 */
final class BenchTracing implements AutoCloseable {

    private final SdkTracerProvider provider;
    private final DroppingExporter exporter;

    private BenchTracing(SdkTracerProvider provider, DroppingExporter exporter) {
        this.provider = provider;
        this.exporter = exporter;
    }

    static BenchTracing of(String mode) {
        if (mode.equals("off")) return new BenchTracing(null, null);
        DroppingExporter exporter = new DroppingExporter();
        SdkTracerProvider provider = SdkTracerProvider.builder().setSampler(Sampler.alwaysOn())
                .addSpanProcessor(BatchSpanProcessor.builder(exporter).build()).build();
        return new BenchTracing(provider, exporter);
    }

    /** Registers the tracing interceptor when tracing is on. */
    WorkflowRunnerBuilder register(WorkflowRunnerBuilder builder) {
        return provider == null ? builder : builder.interceptor(WorkflowTracing.of(provider.get(WorkflowTracing.INSTRUMENTATION_NAME)));
    }

    boolean isOn() {
        return provider != null;
    }

    /** Counting starts again (after the warmup); what the batch processor still holds of before may be counted after. */
    void reset() {
        if (exporter != null) exporter.spans.reset();
    }

    /** Spans that reached the exporter since {@link #reset}, after a flush; the batch processor drops what overflows its queue. */
    long exportedSpans() {
        if (provider == null) return 0;
        provider.forceFlush().join(10, TimeUnit.SECONDS);
        return exporter.spans.sum();
    }

    @Override
    public void close() {
        if (provider != null) provider.shutdown().join(10, TimeUnit.SECONDS);
    }

    /** Counts the spans it is given and sends them nowhere. */
    private static final class DroppingExporter implements SpanExporter {
        final LongAdder spans = new LongAdder();

        @Override
        public CompletableResultCode export(Collection<SpanData> batch) {
            spans.add(batch.size());
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
