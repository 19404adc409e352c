package net.reactory.workflow.bootstrap.tracing;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;

import net.reactory.workflow.application.port.in.WorkflowInterceptor;
import net.reactory.workflow.tracing.WorkflowTracing;

/**
 * The daemon's tracing, configured by the standard OpenTelemetry variables ({@code OTEL_TRACES_EXPORTER},
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT}, {@code OTEL_EXPORTER_OTLP_PROTOCOL}, {@code OTEL_SERVICE_NAME},
 * {@code OTEL_TRACES_SAMPLER}...) through the SDK's autoconfiguration. Off unless {@code OTEL_TRACES_EXPORTER} (or the
 * {@code otel.traces.exporter} system property) names an exporter: then no SDK is built, no interceptor is registered,
 * and the runner does nothing per step for tracing. Only traces: metrics and logs stay with the daemon's own
 * Prometheus endpoint and log lines unless their {@code OTEL_*_EXPORTER} says otherwise.
 */
public final class DaemonTracing implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DaemonTracing.class);

    private final OpenTelemetrySdk sdk;

    private DaemonTracing(OpenTelemetrySdk sdk) {
        this.sdk = sdk;
    }

    /** Tracing as {@code env} and the system properties say; off when they name no traces exporter. */
    public static DaemonTracing fromEnvironment(Map<String, String> env) {
        if (!isConfigured(env)) return new DaemonTracing(null);
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                // Defaults below the operator's variables: traces only, and a service name that says what it is.
                .addPropertiesSupplier(() -> Map.of("otel.metrics.exporter", "none", "otel.logs.exporter", "none",
                        "otel.service.name", "workflow-runner"))
                .build()
                .getOpenTelemetrySdk();
        log.info("tracing on: spans go to the '{}' exporter", exporter(env));
        return new DaemonTracing(sdk);
    }

    static boolean isConfigured(Map<String, String> env) {
        if ("true".equalsIgnoreCase(setting(env, "OTEL_SDK_DISABLED"))) return false;
        String exporter = exporter(env);
        return exporter != null && !exporter.isBlank() && !exporter.trim().toLowerCase(Locale.ROOT).equals("none");
    }

    private static String exporter(Map<String, String> env) {
        return setting(env, "OTEL_TRACES_EXPORTER");
    }

    /** The system property ({@code otel.traces.exporter}) first, as the SDK reads them, then the variable. */
    private static String setting(Map<String, String> env, String variable) {
        String property = System.getProperty(variable.toLowerCase(Locale.ROOT).replace('_', '.'));
        return property != null ? property : env.get(variable);
    }

    /** The interceptor to register on the runner; empty when tracing is off. */
    public Optional<WorkflowInterceptor> interceptor() {
        return sdk == null ? Optional.empty() : Optional.of(WorkflowTracing.of(sdk));
    }

    public boolean isOn() {
        return sdk != null;
    }

    /** Exports what is buffered (for up to ten seconds) and stops the SDK. */
    @Override
    public void close() {
        if (sdk == null) return;
        sdk.getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);
        sdk.shutdown().join(10, TimeUnit.SECONDS);
    }
}
