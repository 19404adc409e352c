package net.reactory.workflow.bootstrap.http;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import net.reactory.workflow.application.port.in.LogSafe;
import net.reactory.workflow.application.port.in.WorkflowRunner;

/** {@code POST /api/v1/events}: publishes an external event to the instances waiting for it (202). */
final class EventsResource implements Resource {

    private static final Logger log = LoggerFactory.getLogger(EventsResource.class);

    private final WorkflowRunner runner;

    EventsResource(WorkflowRunner runner) {
        this.runner = runner;
    }

    /** The event as the body gives it; {@code id} and {@code effectiveAt} may be null. */
    private record Event(String id, String name, String key, Instant effectiveAt) {
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.post("/api/v1/events"));
    }

    @Override
    public Response handle(Request request) throws IOException {
        if (!request.path().isEmpty()) throw ApiException.notFound("no such resource");
        request.allow("POST");
        JsonNode body = request.body();
        String caller = request.caller();
        Event event = read(body, caller);
        Object data = request.data(body, null);
        // The runner audits the command, accepted or refused, with this caller as its origin.
        String id = RunnerCalls.await(runner.publishEvent(event.id(), event.name(), event.key(), data, event.effectiveAt(),
                RunnerCalls.origin(caller), CallerTrace.of(request)));
        log.info("event {} ({}) published through the admin API by {}", LogSafe.of(id), LogSafe.of(event.name() + "/" + event.key()), caller);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("name", event.name());
        m.put("key", event.key());
        return Response.json(202, m);
    }

    /** The body's fields, checked; what is wrong is audited as a refusal and answered with 422. */
    private Event read(JsonNode body, String caller) {
        try {
            String name = Request.text(body, "name", true);
            String key = Request.text(body, "key", true);
            String eventId = Request.text(body, "id", false);
            if (eventId != null && !InstancesResource.ID.matcher(eventId).matches()) {
                throw ApiException.invalid("field 'id' must match " + InstancesResource.ID.pattern());
            }
            String at = Request.text(body, "effectiveAt", false);
            Instant effectiveAt = at == null ? null : Request.instant(at, "field 'effectiveAt'");
            return new Event(eventId, name, key, effectiveAt);
        } catch (ApiException e) {
            String target = body.path("name").isTextual() ? Request.printable(body.path("name").asText()) : "?";
            RunnerCalls.auditRefusal(runner, caller, "publishEvent", target, e.getMessage());
            throw e;
        }
    }
}
