package net.reactory.workflow.bootstrap.http;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import net.reactory.workflow.application.port.out.AuditEntry;
import net.reactory.workflow.domain.instance.ExecutionPointer;
import net.reactory.workflow.domain.definition.StepDefinition;
import net.reactory.workflow.domain.instance.StepError;
import net.reactory.workflow.domain.definition.WorkflowDefinition;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/** How definitions, instances, events and audit entries look in JSON. */
final class Views {

    private final ObjectMapper json;

    Views(ObjectMapper json) {
        this.json = json;
    }

    Map<String, Object> definitionSummary(WorkflowDefinition d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", d.key().toString());
        m.put("id", d.key().id().toString());
        m.put("version", d.key().version().toString());
        m.put("category", d.category());
        m.put("autoStart", d.autoStart());
        m.put("steps", d.steps().size());
        return m;
    }

    Map<String, Object> definition(WorkflowDefinition d) {
        Map<String, Object> m = definitionSummary(d);
        m.put("props", safe(d.props()));
        List<Map<String, Object>> steps = new ArrayList<>();
        for (StepDefinition s : d.steps()) {
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("id", s.id());
            step.put("name", s.name());
            step.put("next", s.next() == StepDefinition.NONE ? null : d.step(s.next()).name());
            Map<String, Object> outcomes = new LinkedHashMap<>();
            s.outcomes().forEach((value, target) -> outcomes.put(String.valueOf(value), d.step(target).name()));
            step.put("outcomes", outcomes);
            step.put("onError", String.valueOf(s.onError()));
            step.put("maxAttempts", s.maxAttempts());
            steps.add(step);
        }
        m.put("steps", steps);
        return m;
    }

    Map<String, Object> instanceSummary(WorkflowInstance i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", i.id());
        m.put("definition", i.definition().toString());
        m.put("status", i.status().name());
        m.put("reference", i.reference());
        m.put("createdAt", time(i.createdAt()));
        m.put("updatedAt", time(i.updatedAt()));
        m.put("completedAt", time(i.completedAt()));
        return m;
    }

    Map<String, Object> instance(WorkflowInstance i, WorkflowDefinition d, List<WorkflowEvent> events, EventHistory history,
                                 List<AuditEntry> commands) {
        Map<String, Object> m = instanceSummary(i);
        m.put("revision", i.revision());
        m.put("nextExecution", time(i.nextExecution()));
        m.put("lease", i.lease() == null ? null : Map.of("owner", i.lease().owner(), "until", time(i.lease().until())));
        m.put("data", safe(i.data()));
        List<Map<String, Object>> pointers = new ArrayList<>();
        for (ExecutionPointer p : i.pointers()) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("id", p.id());
            pm.put("stepId", p.stepId());
            pm.put("step", d != null && p.stepId() >= 0 && p.stepId() < d.steps().size() ? d.step(p.stepId()).name() : null);
            pm.put("attempt", p.attempt());
            pm.put("sleepUntil", time(p.sleepUntil()));
            if (p.waitingFor() != null) {
                Map<String, Object> w = new LinkedHashMap<>();
                w.put("name", p.waitingFor().name());
                w.put("key", p.waitingFor().key());
                w.put("effectiveDate", time(p.waitingFor().effectiveDate()));
                pm.put("waitingFor", w);
            } else {
                pm.put("waitingFor", null);
            }
            pointers.add(pm);
        }
        m.put("pointers", pointers);
        List<Map<String, Object>> errors = new ArrayList<>();
        for (StepError e : i.errors()) {
            Map<String, Object> em = new LinkedHashMap<>();
            em.put("step", e.step());
            em.put("type", e.type());
            em.put("message", e.message());
            em.put("attempt", e.attempt());
            em.put("at", time(e.at()));
            errors.add(em);
        }
        m.put("errors", errors);
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("source", "change events seen by this daemon since it started, kept in memory for the last " + history.capacity()
                + " instances (at most " + history.perInstance() + " events each); the store keeps no event history");
        h.put("complete", !events.isEmpty() && events.get(0) instanceof WorkflowEvent.WorkflowStarted && events.size() < history.perInstance());
        List<Map<String, Object>> list = new ArrayList<>();
        for (WorkflowEvent e : events) list.add(event(e));
        h.put("events", list);
        m.put("history", h);
        List<Map<String, Object>> audit = new ArrayList<>();
        for (AuditEntry a : commands) audit.add(audit(a));
        m.put("commands", audit);
        return m;
    }

    Map<String, Object> event(WorkflowEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", e.getClass().getSimpleName());
        m.put("kind", e.kind());
        m.put("revision", e.revision());
        m.put("at", time(e.at()));
        String detail = switch (e) {
            case WorkflowEvent.StepCompleted s -> s.step();
            case WorkflowEvent.StepFailed s -> s.error().step() + ": " + s.error().type() + " " + s.error().message();
            case WorkflowEvent.RetryScheduled r -> r.step() + " attempt " + r.attempt() + " at " + r.retryAt();
            case WorkflowEvent.WorkflowSuspended s -> s.reason();
            case WorkflowEvent.WorkflowTerminated t -> t.reason();
            case WorkflowEvent.WorkflowFailed f -> f.error().step() + ": " + f.error().type() + " " + f.error().message();
            default -> null;
        };
        if (detail != null) m.put("detail", detail);
        return m;
    }

    Map<String, Object> audit(AuditEntry a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", time(a.at()));
        m.put("actor", a.actor());
        m.put("entryPoint", a.entryPoint());
        m.put("command", a.command());
        m.put("target", a.target());
        m.put("outcome", a.outcome());
        m.put("detail", a.detail());
        return m;
    }

    /** Any data as JSON; what Jackson cannot write is shown as its text. */
    JsonNode safe(Object data) {
        try {
            return json.valueToTree(data);
        } catch (IllegalArgumentException e) {
            return json.getNodeFactory().textNode(String.valueOf(data));
        }
    }

    static String time(Instant at) {
        return at == null ? null : at.toString();
    }
}
