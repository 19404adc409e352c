package net.reactory.workflow.bootstrap.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import net.reactory.workflow.application.port.in.AuditRecord;
import net.reactory.workflow.application.port.in.WorkflowRunner;

/** {@code GET /api/v1/audit?limit=N}: the newest commands first, accepted or refused, from every entry point. */
final class AuditResource implements Resource {

    private static final int MAX_LIMIT = 1000;

    private final WorkflowRunner runner;
    private final Views views;

    AuditResource(WorkflowRunner runner, Views views) {
        this.runner = runner;
        this.views = views;
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.get("/api/v1/audit"));
    }

    @Override
    public Response handle(Request request) {
        if (!request.path().isEmpty()) throw ApiException.notFound("no such resource");
        request.allow("GET");
        int limit = request.intParam("limit", 100, 1, MAX_LIMIT);
        List<Map<String, Object>> entries = new ArrayList<>();
        for (AuditRecord a : runner.recentCommands(limit)) entries.add(views.audit(a));
        return Response.json(200, Map.of("items", entries));
    }
}
