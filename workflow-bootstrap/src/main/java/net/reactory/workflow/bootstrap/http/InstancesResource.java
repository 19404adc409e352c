package net.reactory.workflow.bootstrap.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import net.reactory.workflow.application.port.in.LogSafe;
import net.reactory.workflow.application.port.in.AuditRecord;
import net.reactory.workflow.application.port.in.CommandOrigin;
import net.reactory.workflow.application.port.in.InstanceFilter;
import net.reactory.workflow.application.port.in.InstanceHistory;
import net.reactory.workflow.application.port.in.StartRequest;
import net.reactory.workflow.application.port.in.WorkflowRunner;
import net.reactory.workflow.domain.definition.WorkflowDefinition;
import net.reactory.workflow.domain.definition.WorkflowId;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.definition.WorkflowRef;
import net.reactory.workflow.domain.instance.WorkflowStatus;
import net.reactory.workflow.domain.instance.ChildResult;
import net.reactory.workflow.domain.definition.SemanticVersion;

/**
 * {@code /api/v1/instances}: start ({@code POST}), list with filters and paging ({@code GET}), counts per status
 * ({@code GET /counts}), bulk commands ({@code POST /bulk}, see {@link BulkActions}), one instance in detail
 * ({@code GET /{id}}), its history ({@code GET /{id}/history}) and the lifecycle commands
 * ({@code POST /{id}/suspend|resume|terminate}).
 */
final class InstancesResource implements Resource {

    private static final Logger log = LoggerFactory.getLogger(InstancesResource.class);
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_:-]{0,127}");
    private static final List<String> COMMANDS = List.of("suspend", "resume", "terminate");
    private static final int MAX_LIMIT = 1000;
    /** How far back in the audit log the detail view looks for the commands about one instance. */
    private static final int AUDIT_SCAN = 1_000;
    /** History events a page answers unless asked for fewer, and at most. */
    private static final int HISTORY_PAGE = 200;
    private static final int MAX_HISTORY_PAGE = 1000;
    /** History events the detail view embeds. */
    private static final int HISTORY_IN_DETAIL = 100;
    private static final int CHILDREN_IN_DETAIL = 100;

    private final WorkflowRunner runner;
    private final Views views;
    private final int historyLimit;
    private final BulkActions bulk;

    /** @param historyLimit the store's cap of history events per instance, as the detail view says */
    InstancesResource(WorkflowRunner runner, Views views, int historyLimit) {
        this.runner = runner;
        this.views = views;
        this.historyLimit = historyLimit;
        this.bulk = new BulkActions(runner);
    }

    @Override
    public List<Route> routes() {
        String one = "/api/v1/instances/{id}";
        return List.of(Route.get("/api/v1/instances"), Route.post("/api/v1/instances"), Route.get("/api/v1/instances/counts"),
                Route.post("/api/v1/instances/bulk"), Route.get(one), Route.get(one + "/history"), Route.post(one + "/suspend"),
                Route.post(one + "/resume"), Route.post(one + "/terminate"));
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
        if (path.size() == 1 && id.equals("counts")) {
            request.allow("GET");
            return counts(request);
        }
        if (path.size() == 1 && id.equals("bulk")) {
            request.allow("POST");
            return Response.json(200, bulk.run(request.body(), request.caller()));
        }
        if (!ID.matcher(id).matches()) throw ApiException.badRequest("'" + Request.printable(id) + "' is not an instance id");
        if (path.size() == 1) {
            request.allow("GET");
            return get(id);
        }
        if (path.size() != 2) throw ApiException.notFound("no such resource");
        if (path.get(1).equals("history")) {
            request.allow("GET");
            return history(request, id);
        }
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
        log.info("start of {} through the admin API by {} answered with instance {}", LogSafe.of(resolvedKey(workflow, version)), caller, id);
        return Response.json(201, m);
    }

    /** {@code nameSpace.name@version} of what a start resolved to, for the log line. */
    private String resolvedKey(String workflow, String version) {
        return DefinitionsResource.resolve(runner.definitions(), WorkflowRef.of(workflow, version))
                .map(d -> d.key().toString()).orElse(workflow);
    }

    /**
     * The list: filtered, sorted by creation time, a page after the cursor {@code after} (the previous answer's
     * {@code next}) or, for old clients, after an {@code offset}.
     */
    private Response list(Request q) {
        int offset = q.intParam("offset", 0, 0, Integer.MAX_VALUE - MAX_LIMIT - 1);
        int limit = q.intParam("limit", 50, 1, MAX_LIMIT);
        boolean newestFirst = newestFirst(q.param("sort"));
        InstanceFilter.Cursor after = cursor(q.param("after"));
        if (after != null && offset > 0) throw ApiException.invalid("give either after or offset, not both");
        InstanceFilter f = filter(q.param("status"), q.param("definition"), q.param("version"), q.instantParam("from"),
                q.instantParam("to"), q.param("reference"), q.param("q"));
        // One more than asked, to tell whether there is a next page.
        List<WorkflowInstance> found = runner.queryInstances(new InstanceFilter(f.status(), f.workflow(), f.createdFrom(),
                f.createdTo(), offset, limit + 1, f.version(), f.reference(), f.text(), newestFirst, after));
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < Math.min(limit, found.size()); i++) items.add(views.instanceSummary(found.get(i)));
        boolean more = found.size() > limit;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("items", items);
        m.put("offset", offset);
        m.put("limit", limit);
        m.put("sort", newestFirst ? "-createdAt" : "createdAt");
        m.put("next", more ? cursorText(InstanceFilter.Cursor.of(found.get(limit - 1))) : null);
        m.put("nextOffset", more && after == null ? offset + limit : null);
        return Response.json(200, m);
    }

    /** {@code createdAt} (oldest first, the default) or {@code -createdAt}. */
    private static boolean newestFirst(String sort) {
        if (sort == null || sort.equals("createdAt")) return false;
        if (sort.equals("-createdAt")) return true;
        throw ApiException.invalid("sort '" + Request.printable(sort) + "' is not one of createdAt, -createdAt");
    }

    /** The filter of a list, a count or a bulk command, from its parts as text; what is malformed is a 422. */
    static InstanceFilter filter(String status, String definition, String version, Instant from, Instant to, String reference, String text) {
        WorkflowId workflow = workflow(definition);
        SemanticVersion v = null;
        if (version != null) {
            if (workflow == null) throw ApiException.invalid("version filters the versions of one definition: give definition too");
            try {
                v = SemanticVersion.parse(version);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("version '" + Request.printable(version) + "' is not a version such as 1.0.0");
            }
        }
        if (reference != null && reference.length() > 200) throw ApiException.invalid("reference is longer than 200 characters");
        if (text != null && text.length() > 200) throw ApiException.invalid("q is longer than 200 characters");
        return new InstanceFilter(status(status), workflow, from, to, 0, 1, v, blankToNull(reference), blankToNull(text), false, null);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** A list cursor as the client sees it: opaque, URL-safe. */
    static String cursorText(InstanceFilter.Cursor c) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((c.createdAt() + "|" + c.id()).getBytes(StandardCharsets.UTF_8));
    }

    static InstanceFilter.Cursor cursor(String text) {
        if (text == null || text.isEmpty()) return null;
        try {
            String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            int bar = plain.indexOf('|');
            String id = plain.substring(bar + 1);
            if (bar < 0 || !ID.matcher(id).matches()) throw new IllegalArgumentException();
            return new InstanceFilter.Cursor(Instant.parse(plain.substring(0, bar)), id);
        } catch (RuntimeException e) {
            throw ApiException.invalid("after '" + Request.printable(text) + "' is not a cursor this daemon gave (the 'next' of a list)");
        }
    }

    private Response counts(Request q) {
        InstanceFilter f = filter(null, q.param("definition"), q.param("version"), q.instantParam("from"), q.instantParam("to"),
                q.param("reference"), q.param("q"));
        Map<String, Object> m = new LinkedHashMap<>();
        runner.countInstances(f).forEach((status, n) -> m.put(status.name(), n));
        return Response.json(200, m);
    }

    private Response history(Request q, String id) {
        long after = q.intParam("after", 0, 0, Integer.MAX_VALUE);
        int limit = q.intParam("limit", HISTORY_PAGE, 1, MAX_HISTORY_PAGE);
        InstanceHistory page = runner.history(id, after, limit)
                .orElseThrow(() -> ApiException.notFound("no workflow instance has the id " + id));
        return Response.json(200, views.history(page));
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
        InstanceHistory history = runner.history(id, 0, HISTORY_IN_DETAIL).orElse(null);
        return Response.json(200, views.instance(instance, definition, history, ChildResult.parentInstanceId(instance.reference()),
                children(instance, history), commands, historyLimit));
    }

    /**
     * The children the instance started, oldest first and at most {@value #CHILDREN_IN_DETAIL}, as its history tells
     * (each request names the child's reference): the first page is the one already read, later pages are read only
     * while the instance asked for more children and the cap is not reached.
     */
    private List<String> children(WorkflowInstance instance, InstanceHistory history) {
        List<String> children = new ArrayList<>();
        InstanceHistory page = history;
        while (page != null && children.size() < CHILDREN_IN_DETAIL) {
            for (InstanceHistory.Event e : page.events()) {
                if (children.size() < CHILDREN_IN_DETAIL && "ChildWorkflowRequested".equals(e.type()) && e.detail() != null) {
                    childOf(e.detail()).filter(child -> !children.contains(child)).ifPresent(children::add);
                }
            }
            page = page.next() == null ? null : runner.history(instance.id(), page.next(), HISTORY_IN_DETAIL).orElse(null);
        }
        return children;
    }

    /** The child instance a request's detail ({@code <workflow> as <reference>}) names, once it exists. */
    private Optional<String> childOf(String detail) {
        int as = detail.indexOf(" as ");
        if (as < 0) return Optional.empty();
        try {
            WorkflowId childWorkflow = WorkflowRef.parse(detail.substring(0, as)).id();
            return runner.queryInstances(new InstanceFilter(null, childWorkflow, null, null, 0, 1, null, detail.substring(as + 4), null, false, null))
                    .stream().findFirst().map(WorkflowInstance::id);
        } catch (IllegalArgumentException notAReference) {
            return Optional.empty(); // not a workflow reference this daemon can read: the child is left out
        }
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
