package net.reactory.workflow.bootstrap.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import net.reactory.workflow.application.port.in.BreakerState;
import net.reactory.workflow.application.port.in.WorkflowRunner;
import net.reactory.workflow.bootstrap.metrics.StatsSampler;

/**
 * {@code GET /api/v1/stats?minutes=60}: per-minute throughput, failures and step latency from the daemon's own meters
 * ({@link StatsSampler}), with the breakers' states and the store's and broker's as readiness sees them.
 */
final class StatsResource implements Resource {

    private static final int MAX_MINUTES = 180;

    private final StatsSampler sampler;
    private final WorkflowRunner runner;
    private final Readiness readiness;

    StatsResource(StatsSampler sampler, WorkflowRunner runner, Readiness readiness) {
        this.sampler = sampler;
        this.runner = runner;
        this.readiness = readiness;
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.get("/api/v1/stats"));
    }

    @Override
    public Response handle(Request request) {
        if (!request.path().isEmpty()) throw ApiException.notFound("no such resource");
        request.allow("GET");
        int minutes = request.intParam("minutes", 60, 1, MAX_MINUTES);
        List<Map<String, Object>> series = new ArrayList<>();
        for (StatsSampler.Point p : sampler.series(minutes)) {
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("at", p.at().toString());
            point.put("started", p.started());
            point.put("completed", p.completed());
            point.put("failed", p.failed());
            point.put("p50Ms", p.p50Ms());
            point.put("p99Ms", p.p99Ms());
            series.add(point);
        }
        Map<String, Object> breakers = new LinkedHashMap<>();
        for (BreakerState b : runner.circuitBreakers()) breakers.put(b.name(), b.state());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("minutes", minutes);
        m.put("series", series);
        m.put("breakers", breakers);
        Map<String, String> states = readiness.componentStates();
        m.put("store", states.getOrDefault("store", "DOWN"));
        m.put("broker", readiness.brokerConfigured() ? states.getOrDefault("broker", "DOWN") : "absent");
        return Response.json(200, m);
    }
}
