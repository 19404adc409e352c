package net.reactory.workflow.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

/** Failed attempts' spans wait for their commit, but never for ever: one whose commit never comes is still exported. */
class FailedAttemptsTest {

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exported)).build();
    private final Tracer tracer = provider.get("test");
    private final AtomicLong nanos = new AtomicLong();
    private final FailedAttempts failed = new FailedAttempts(nanos::get);

    @AfterEach
    void close() {
        provider.close();
    }

    private Span span(String name) {
        return tracer.spanBuilder(name).startSpan();
    }

    @Test
    void givenAParkedSpan_whenItsInstanceCommits_thenTheCommitTakesItAndNothingIsLeftOpen() {
        Span span = span("step a");
        failed.park("i-1", span, "a", 1, "Busy");

        assertThat(failed.isEmpty()).isFalse();
        assertThat(failed.take("i-2")).isEmpty();
        assertThat(failed.take("i-1")).singleElement().satisfies(o -> {
            assertThat(o.span()).isSameAs(span);
            assertThat(o.step()).isEqualTo("a");
            assertThat(o.attempt()).isEqualTo(1);
            assertThat(o.errorType()).isEqualTo("Busy");
        });
        assertThat(failed.isEmpty()).isTrue();
        assertThat(exported.getFinishedSpanItems()).as("the taker ends it").isEmpty();
    }

    @Test
    void givenASpanWhoseCommitNeverComes_whenTheMaximumWaitHasPassed_thenTheNextParkEndsAndExportsIt() {
        failed.park("stale", span("step lost"), "lost", 1, "Busy");
        nanos.addAndGet(FailedAttempts.MAX_OPEN_NANOS + 1);

        failed.park("i-2", span("step fresh"), "fresh", 1, "Busy");

        assertThat(exported.getFinishedSpanItems()).extracting(SpanData::getName).containsExactly("step lost");
        assertThat(failed.take("stale")).isEmpty();
        assertThat(failed.take("i-2")).hasSize(1);
    }

    @Test
    void givenMoreOpenSpansThanTheCap_whenOneMoreIsParked_thenAllAreEndedAtOnce() {
        for (int i = 0; i <= FailedAttempts.MAX_OPEN; i++) failed.park("i-" + i, span("step " + i), "s", 1, "Busy");

        assertThat(failed.isEmpty()).isTrue();
        assertThat(exported.getFinishedSpanItems()).hasSize(FailedAttempts.MAX_OPEN + 1);
    }
}
