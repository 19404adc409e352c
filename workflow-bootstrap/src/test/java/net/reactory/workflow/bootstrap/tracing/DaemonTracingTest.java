package net.reactory.workflow.bootstrap.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** Tracing is off unless an exporter is named: then no SDK, and no interceptor for the runner to call. */
class DaemonTracingTest {

    @Test
    void givenNoTracesExporter_whenBuilt_thenOffWithNoInterceptor() {
        DaemonTracing tracing = DaemonTracing.fromEnvironment(Map.of("OTEL_SERVICE_NAME", "x"));

        assertThat(tracing.isOn()).isFalse();
        assertThat(tracing.interceptor()).isEmpty();
        tracing.close();
    }

    @Test
    void givenExporterNoneOrTheSdkDisabled_whenAsked_thenNotConfigured() {
        assertThat(DaemonTracing.isConfigured(Map.of("OTEL_TRACES_EXPORTER", "none"))).isFalse();
        assertThat(DaemonTracing.isConfigured(Map.of("OTEL_TRACES_EXPORTER", " "))).isFalse();
        assertThat(DaemonTracing.isConfigured(Map.of("OTEL_TRACES_EXPORTER", "otlp", "OTEL_SDK_DISABLED", "true"))).isFalse();
        assertThat(DaemonTracing.isConfigured(Map.of("OTEL_TRACES_EXPORTER", "otlp"))).isTrue();
    }
}
