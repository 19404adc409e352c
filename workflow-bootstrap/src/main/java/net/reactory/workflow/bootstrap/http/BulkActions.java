package net.reactory.workflow.bootstrap.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import net.reactory.workflow.application.port.in.CommandOrigin;
import net.reactory.workflow.application.port.in.InstanceFilter;
import net.reactory.workflow.application.port.in.Refusal;
import net.reactory.workflow.application.port.in.WorkflowRunner;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/**
 * {@code POST /api/v1/instances/bulk}: one lifecycle command (suspend, resume, terminate) on every instance a filter
 * matches, or on a list of ids. {@code preview: true} only counts. The matching instances are listed first, then each
 * is sent its command through the runner like a single command is, audited with the caller; the ones the runner
 * refuses are reported with why. Bounded: at most {@link #MAX_INSTANCES} per call, run {@link #IN_FLIGHT} at a time.
 */
final class BulkActions {

    private static final Logger log = LoggerFactory.getLogger(BulkActions.class);
    static final int MAX_INSTANCES = 10_000;
    private static final int IN_FLIGHT = 32;
    private static final int PAGE = 1_000;
    private static final List<String> ACTIONS = List.of("suspend", "resume", "terminate");

    private final WorkflowRunner runner;

    BulkActions(WorkflowRunner runner) {
        this.runner = runner;
    }

    Map<String, Object> run(JsonNode body, String caller) {
        String action = Request.text(body, "action", true);
        if (!ACTIONS.contains(action)) throw ApiException.invalid("action '" + Request.printable(action) + "' is not one of " + ACTIONS);
        String reason = Request.text(body, "reason", false);
        if (reason != null && reason.length() > 500) throw ApiException.invalid("field 'reason' is longer than 500 characters");
        JsonNode preview = body.path("preview");
        if (!preview.isMissingNode() && !preview.isNull() && !preview.isBoolean()) throw ApiException.invalid("field 'preview' must be true or false");
        boolean onlyCount = preview.asBoolean(false);
        List<String> ids = body.has("ids") && !body.get("ids").isNull() ? ids(body.get("ids")) : matching(body.path("filter"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("action", action);
        m.put("matched", ids.size());
        if (onlyCount) {
            m.put("preview", true);
            return m;
        }
        CommandOrigin origin = RunnerCalls.origin(caller);
        String why = reason != null ? reason : "bulk " + action + " by " + caller + " through the admin API";
        List<Map<String, Object>> refused = new ArrayList<>();
        int done = 0;
        for (int from = 0; from < ids.size(); from += IN_FLIGHT) {
            List<String> window = ids.subList(from, Math.min(ids.size(), from + IN_FLIGHT));
            List<CompletableFuture<WorkflowInstance>> calls = new ArrayList<>(window.size());
            for (String id : window) calls.add(command(action, id, why, origin));
            for (int i = 0; i < window.size(); i++) {
                try {
                    calls.get(i).get(RunnerCalls.TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    done++;
                } catch (ExecutionException | CompletionException e) {
                    refused.add(refusal(window.get(i), Refusal.unwrap(e)));
                } catch (TimeoutException e) {
                    refused.add(refusal(window.get(i), ApiException.unavailable("the runner did not answer within " + RunnerCalls.TIMEOUT_SECONDS + " s")));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw ApiException.unavailable("interrupted while the daemon stops");
                }
            }
        }
        log.info("bulk {} by {} through the admin API: {} matched, {} done, {} refused", action, caller, ids.size(), done, refused.size());
        m.put("done", done);
        m.put("refused", refused);
        return m;
    }

    /** The command's future; a precondition the runner throws at once is a refused future too, so one bad id stops nothing. */
    private CompletableFuture<WorkflowInstance> command(String action, String id, String reason, CommandOrigin origin) {
        try {
            return switch (action) {
                case "suspend" -> runner.suspend(id, reason, origin);
                case "resume" -> runner.resume(id, origin);
                default -> runner.terminate(id, reason, origin);
            };
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static Map<String, Object> refusal(String id, Throwable cause) {
        ApiException e = ApiException.of(cause);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", id);
        r.put("code", e.code());
        r.put("message", e.getMessage());
        return r;
    }

    private static List<String> ids(JsonNode node) {
        if (!node.isArray()) throw ApiException.invalid("field 'ids' must be an array of instance ids");
        if (node.size() > MAX_INSTANCES) throw ApiException.invalid("at most " + MAX_INSTANCES + " ids per bulk command, got " + node.size());
        Set<String> ids = new LinkedHashSet<>();
        for (JsonNode id : node) {
            if (!id.isTextual() || !InstancesResource.ID.matcher(id.asText()).matches()) {
                throw ApiException.invalid("'" + Request.printable(id.toString()) + "' in 'ids' is not an instance id");
            }
            ids.add(id.asText());
        }
        return new ArrayList<>(ids);
    }

    /** Every instance the filter matches, oldest first; more than {@link #MAX_INSTANCES} is refused: narrow the filter. */
    private List<String> matching(JsonNode f) {
        if (!f.isObject()) throw ApiException.invalid("give a 'filter' object (status, definition, version, from, to, reference, q) or 'ids'");
        String from = Request.text(f, "from", false);
        String to = Request.text(f, "to", false);
        InstanceFilter filter = InstancesResource.filter(Request.text(f, "status", false), Request.text(f, "definition", false),
                Request.text(f, "version", false), from == null ? null : Request.instant(from, "filter.from"),
                to == null ? null : Request.instant(to, "filter.to"), Request.text(f, "reference", false), Request.text(f, "q", false));
        InstanceFilter page = new InstanceFilter(filter.status(), filter.workflow(), filter.createdFrom(), filter.createdTo(), 0, PAGE,
                filter.version(), filter.reference(), filter.text(), false, null);
        List<String> ids = new ArrayList<>();
        while (true) {
            List<WorkflowInstance> found = runner.queryInstances(page);
            for (WorkflowInstance i : found) ids.add(i.id());
            if (ids.size() > MAX_INSTANCES) {
                throw ApiException.invalid("more than " + MAX_INSTANCES + " instances match: narrow the filter (by status, definition, time...)");
            }
            if (found.size() < PAGE) return ids;
            page = page.after(InstanceFilter.Cursor.of(found.get(found.size() - 1)));
        }
    }
}
