package net.reactory.workflow.bootstrap.http;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import net.reactory.workflow.application.port.in.AuditRecord;
import net.reactory.workflow.application.port.in.CommandOrigin;
import net.reactory.workflow.application.port.in.InstanceFilter;
import net.reactory.workflow.application.port.in.StartRequest;
import net.reactory.workflow.application.port.in.WorkflowRunner;
import net.reactory.workflow.bootstrap.metrics.EventHistory;
import net.reactory.workflow.domain.definition.WorkflowDefinition;
import net.reactory.workflow.domain.definition.WorkflowId;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.definition.WorkflowRef;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/**
 * {@code /api/v1/instances}: start ({@code POST}), list with filters and paging ({@code GET}), one instance in detail
 * ({@code GET /{id}}) and the lifecycle commands ({@code POST /{id}/suspend|resume|terminate}).
 */
final class InstancesResource implements Resource {

    private static final Logger log = LoggerFactory.getLogger(InstancesResource.class);
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_:-]{0,127}");
    private static final List<String> COMMANDS = List.of("suspend", "resume", "terminate");
    private static final int MAX_LIMIT = 1000;
    /** How far back in the audit log the detail view looks for the commands about one instance. */
    private static final int AUDIT_SCAN = 1_000;

    private final WorkflowRunner runner;
    private final EventHistory history;
    private final Views views;

    InstancesResource(WorkflowRunner runner, EventHistory history, Views views) {
        this.runner = runner;
        this.history = history;
        this.views = views;
    }

    @Override
    public Response handle(Request request) throws IOException {
        List<String> path = request.path();
        if (path.isEmpty()) {
            if (request.method().equals("POST")) return start(request, request.body());
            request.allow("GET", "POST");
            return list(request);
        }
        String id = path.get(0);
        if (!ID.matcher(id).matches()) throw ApiException.badRequest("'" + Request.printable(id) + "' is not an instance id");
        if (path.size() == 1) {
            request.allow("GET");
            return get(id);
        }
        if (path.size() != 2) throw ApiException.notFound("no such resource");
        String command = path.get(1);
        if (!COMMANDS.contains(command)) throw ApiException.notFound("no such command: " + Request.printable(command));
        request.allow("POST");
        String reason = Request.text(request.optionalBody(), "reason", false);
        String caller = request.caller();
        return lifecycle(command, id, reason == null ? "by " + caller + " through the admin API" : reason, caller);
    }

    private Response start(Request request, JsonNode body) {
        String caller = request.caller();
        String workflow;
        String version;
        String reference;
        try {
            workflow = Request.text(body, "workflow", false);
            if (workflow == null) workflow = Request.text(body, "id", false);
            if (workflow == null) throw ApiException.invalid("field 'workflow' is required (nameSpace.name or nameSpace.name@1.0.0)");
            version = Request.text(body, "version", false);
            reference = Request.text(body, "reference", false);
            if (reference != null && reference.length() > 200) throw ApiException.invalid("field 'reference' is longer than 200 characters");
            WorkflowRef.of(workflow, version);
        } catch (ApiException | IllegalArgumentException e) {
            String target = body.path("workflow").isTextual() ? body.path("workflow").asText() : "?";
            RunnerCalls.auditRefusal(runner, caller, "start", target, e.getMessage());
            throw e instanceof ApiException a ? a : ApiException.invalid(e.getMessage());
        }
        Object data = request.data(body, Map.of());
        String id = RunnerCalls.await(runner.startWorkflow(new StartRequest(workflow, version, data, reference, caller, RunnerCalls.ENTRY_POINT)
                .withTraceContext(CallerTrace.of(request))));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("workflow", workflow);
        m.put("location", "/api/v1/instances/" + id);
        log.info("start of {} through the admin API by {} answered with instance {}", resolvedKey(workflow, version), caller, id);
        return Response.json(201, m);
    }

    /** {@code nameSpace.name@version} of what a start resolved to, for the log line. */
    private String resolvedKey(String workflow, String version) {
        return DefinitionsResource.resolve(runner.definitions(), WorkflowRef.of(workflow, version))
                .map(d -> d.key().toString()).orElse(workflow);
    }

    private Response list(Request q) {
        WorkflowStatus status = status(q.param("status"));
        WorkflowId workflow = workflow(q.param("definition"));
        Instant from = q.instantParam("from");
        Instant to = q.instantParam("to");
        int offset = q.intParam("offset", 0, 0, Integer.MAX_VALUE - MAX_LIMIT - 1);
        int limit = q.intParam("limit", 50, 1, MAX_LIMIT);
        // One more than asked, to tell whether there is a next page.
        List<WorkflowInstance> found = runner.queryInstances(new InstanceFilter(status, workflow, from, to, offset, limit + 1));
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < Math.min(limit, found.size()); i++) items.add(views.instanceSummary(found.get(i)));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("items", items);
        m.put("offset", offset);
        m.put("limit", limit);
        m.put("nextOffset", found.size() > limit ? offset + limit : null);
        return Response.json(200, m);
    }

    private static WorkflowStatus status(String text) {
        if (text == null) return null;
        try {
            return WorkflowStatus.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("status '" + Request.printable(text) + "' is not one of " + List.of(WorkflowStatus.values()));
        }
    }

    /** The {@code definition} filter: a workflow id without a version. */
    private static WorkflowId workflow(String text) {
        if (text == null) return null;
        WorkflowRef ref;
        try {
            ref = WorkflowRef.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("definition: " + e.getMessage());
        }
        if (ref.version() != null) throw ApiException.invalid("definition filters by nameSpace.name; versions are not filtered");
        return ref.id();
    }

    private Response get(String id) {
        WorkflowInstance instance = runner.getInstance(id).orElseThrow(() -> ApiException.notFound("no workflow instance has the id " + id));
        WorkflowDefinition definition = null;
        for (WorkflowDefinition d : runner.definitions()) {
            if (d.key().equals(instance.definition())) definition = d;
        }
        List<AuditRecord> commands = new ArrayList<>();
        for (AuditRecord a : runner.recentCommands(AUDIT_SCAN)) {
            if (id.equals(a.target()) || id.equals(a.detail())) commands.add(0, a);
        }
        return Response.json(200, views.instance(instance, definition, history.of(id), history, commands));
    }

    /** The runner audits the command with the caller as its origin, accepted or refused. */
    private Response lifecycle(String command, String id, String reason, String caller) {
        CommandOrigin origin = RunnerCalls.origin(caller);
        WorkflowInstance result = RunnerCalls.await(switch (command) {
            case "suspend" -> runner.suspend(id, reason, origin);
            case "resume" -> runner.resume(id, origin);
            default -> runner.terminate(id, reason, origin);
        });
        log.info("instance {} of {}: {} by {} through the admin API, now {}", id, result.definition(), command, caller, result.status());
        return Response.json(200, views.instanceSummary(result));
    }
}
