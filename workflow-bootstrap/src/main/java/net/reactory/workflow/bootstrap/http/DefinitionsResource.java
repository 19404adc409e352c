package net.reactory.workflow.bootstrap.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import net.reactory.workflow.application.port.in.WorkflowRunner;
import net.reactory.workflow.domain.definition.WorkflowDefinition;
import net.reactory.workflow.domain.definition.WorkflowRef;

/** {@code GET /api/v1/definitions} and {@code GET /api/v1/definitions/{nameSpace.name[@version]}}. */
final class DefinitionsResource implements Resource {

    private static final Pattern REF = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}(@[0-9A-Za-z.+-]{1,40})?");

    private final WorkflowRunner runner;
    private final Views views;

    DefinitionsResource(WorkflowRunner runner, Views views) {
        this.runner = runner;
        this.views = views;
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.get("/api/v1/definitions"), Route.get("/api/v1/definitions/{ref}"));
    }

    @Override
    public Response handle(Request request) {
        request.allow("GET");
        List<String> path = request.path();
        if (path.isEmpty()) {
            List<Map<String, Object>> items = new ArrayList<>();
            for (WorkflowDefinition d : runner.definitions()) items.add(views.definitionSummary(d));
            return Response.json(200, Map.of("items", items));
        }
        if (path.size() != 1) throw ApiException.notFound("no such resource");
        String text = path.get(0);
        if (!REF.matcher(text).matches()) {
            throw ApiException.badRequest("'" + Request.printable(text) + "' is not a workflow id (nameSpace.name or nameSpace.name@1.0.0)");
        }
        WorkflowRef ref;
        try {
            ref = WorkflowRef.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        WorkflowDefinition found = resolve(runner.definitions(), ref)
                .orElseThrow(() -> ApiException.notFound("workflow " + text + " is not registered"));
        return Response.json(200, views.definition(found));
    }

    /** The definition a reference names: its exact version, or the newest version when it names none. */
    static Optional<WorkflowDefinition> resolve(List<WorkflowDefinition> definitions, WorkflowRef ref) {
        WorkflowDefinition newest = null;
        for (WorkflowDefinition d : definitions) {
            if (!d.key().id().equals(ref.id())) continue;
            if (ref.version() != null) {
                if (d.key().version().equals(ref.version())) return Optional.of(d);
            } else if (newest == null || d.key().version().compareTo(newest.key().version()) > 0) {
                newest = d;
            }
        }
        return Optional.ofNullable(newest);
    }
}
