package net.reactory.workflow.bootstrap.http;

import java.util.List;
import java.util.Map;

import net.reactory.workflow.bootstrap.metrics.Instrumentation;

/**
 * What probes and scrapers read: {@code /health/live} (open to all, says only that the process answers),
 * {@code /health/ready} (503 while DOWN) and {@code /metrics} (Prometheus text).
 */
final class HealthResource {

    static final List<String> LIVE = List.of("health", "live");
    static final List<String> READY = List.of("health", "ready");
    static final List<String> METRICS = List.of("metrics");
    private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

    private final Readiness readiness;
    private final Instrumentation instrumentation;

    HealthResource(Readiness readiness, Instrumentation instrumentation) {
        this.readiness = readiness;
        this.instrumentation = instrumentation;
    }

    static List<Route> routes() {
        return List.of(Route.get("/health/live"), Route.get("/health/ready"), Route.get("/metrics"));
    }

    /** Whether this resource answers the path. */
    static boolean serves(List<String> path) {
        return path.equals(LIVE) || path.equals(READY) || path.equals(METRICS);
    }

    Response handle(Request request) {
        request.allow("GET");
        List<String> path = request.path();
        if (path.equals(LIVE)) return Response.json(200, Map.of("status", "UP"));
        if (path.equals(READY)) {
            Map<String, Object> report = readiness.report();
            return Response.json("DOWN".equals(report.get("status")) ? 503 : 200, report);
        }
        return Response.text(200, PROMETHEUS, instrumentation.scrape());
    }
}
