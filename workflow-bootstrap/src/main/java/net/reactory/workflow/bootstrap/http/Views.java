package net.reactory.workflow.bootstrap.http;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import net.reactory.workflow.application.port.in.AuditRecord;
import net.reactory.workflow.domain.instance.ExecutionPointer;
import net.reactory.workflow.domain.definition.StepDefinition;
import net.reactory.workflow.domain.instance.StepError;
import net.reactory.workflow.domain.definition.WorkflowDefinition;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.application.port.in.InstanceHistory;
import net.reactory.workflow.domain.instance.ExecutionPointer;
import net.reactory.workflow.domain.definition.StepDefinition;
import net.reactory.workflow.domain.instance.StepError;
import net.reactory.workflow.domain.definition.WorkflowDefinition;
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
            step.put("kind", s.kind().word());
            List<String> children = new ArrayList<>(s.children().size());
            for (int child : s.children()) children.add(d.step(child).name());
            step.put("children", children);
            step.put("compensation", s.compensation() == StepDefinition.NONE ? null : d.step(s.compensation()).name());
            step.put("detached", s.detached());
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

    /**
     * One instance in detail, with the first page of its history as the store keeps it.
     *
     * @param parent   the instance that started this one as its child, or null
     * @param children the instances this one started as children, as far as its history tells
     */
    Map<String, Object> instance(WorkflowInstance i, WorkflowDefinition d, InstanceHistory history, String parent,
                                 List<String> children, List<AuditRecord> commands, int historyLimit) {
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
        m.put("parent", parent);
        m.put("children", children);
        m.put("links", Map.of("history", "/api/v1/instances/" + i.id() + "/history"));
        Map<String, Object> h = history == null ? new LinkedHashMap<>() : history(history);
        h.put("source", "the change events kept by the store with the instance (the newest " + historyLimit
                + "; older ones are counted under 'dropped'); the first page here, every page at links.history");
        m.put("history", h);
        List<Map<String, Object>> audit = new ArrayList<>();
        for (AuditRecord a : commands) audit.add(audit(a));
        m.put("commands", audit);
        return m;
    }

    /** A page of history: {@code {"events": [...], "next": revision|null, "dropped": {...}|null}}. */
    Map<String, Object> history(InstanceHistory h) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Map<String, Object>> events = new ArrayList<>(h.events().size());
        for (InstanceHistory.Event e : h.events()) events.add(event(e));
        m.put("events", events);
        m.put("next", h.next());
        if (h.droppedCount() > 0) {
            Map<String, Object> dropped = new LinkedHashMap<>();
            dropped.put("count", h.droppedCount());
            dropped.put("firstRevision", h.droppedFirstRevision());
            dropped.put("lastRevision", h.droppedLastRevision());
            m.put("dropped", dropped);
        } else {
            m.put("dropped", null);
        }
        return m;
    }

    Map<String, Object> event(InstanceHistory.Event e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("revision", e.revision());
        m.put("at", time(e.at()));
        m.put("kind", e.kind());
        m.put("type", e.type());
        m.put("step", e.step());
        m.put("pointer", e.pointer());
        if (e.error() != null) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("step", e.error().step());
            error.put("type", e.error().type());
            error.put("message", e.error().message());
            error.put("attempt", e.error().attempt());
            error.put("at", time(e.error().at()));
            m.put("error", error);
        } else {
            m.put("error", null);
        }
        m.put("origin", e.actor() == null ? null : Map.of("actor", e.actor(), "entryPoint", e.entryPoint() == null ? "" : e.entryPoint()));
        if (e.detail() != null) m.put("detail", e.detail());
        return m;
    }

    Map<String, Object> audit(AuditRecord a) {
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
