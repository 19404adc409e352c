package net.reactory.workflow.bootstrap.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import net.reactory.workflow.application.port.in.CommandOrigin;
import net.reactory.workflow.application.port.in.DuplicateWorkflowException;
import net.reactory.workflow.application.port.in.InstanceNotFoundException;
import net.reactory.workflow.application.port.in.RunnerNotInitializedException;
import net.reactory.workflow.application.port.in.StartRequest;
import net.reactory.workflow.application.port.in.WorkflowNotFoundException;
import net.reactory.workflow.application.port.out.AuditEntry;
import net.reactory.workflow.application.port.out.AuditLog;
import net.reactory.workflow.application.port.out.InstanceQuery;
import net.reactory.workflow.application.port.out.StoreUnavailableException;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.bootstrap.config.OperatorConfig;
import net.reactory.workflow.bootstrap.metrics.Instrumentation;
import net.reactory.workflow.domain.InstanceFinishedException;
import net.reactory.workflow.domain.InvalidWorkflowException;
import net.reactory.workflow.domain.WorkflowDefinition;
import net.reactory.workflow.domain.WorkflowId;
import net.reactory.workflow.domain.WorkflowInstance;
import net.reactory.workflow.domain.WorkflowRef;
import net.reactory.workflow.domain.WorkflowStatus;

/**
 * The admin API on the JDK's HTTP server: {@code /api/v1/...}, {@code /health/live}, {@code /health/ready}
 * and {@code /metrics}. JSON in and out; every error is {@code {"error":{"status":..,"code":..,"message":..}}}.
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_:-]{0,127}");
    private static final Pattern REF = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}(@[0-9A-Za-z.+-]{1,40})?");
    private static final Pattern CALLER = Pattern.compile("[A-Za-z0-9._:@/-]{1,64}");
    private static final int MAX_PATH = 1024;
    private static final int MAX_LIMIT = 1000;
    private static final long CALL_TIMEOUT_SECONDS = 30;
    private static final long DRAIN_CAP = 16L * 1024 * 1024;

    private final WorkflowRunnerService runner;
    private final AuditLog audit;
    private final Instrumentation instrumentation;
    private final Readiness readiness;
    private final OperatorConfig config;
    private final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final Views views = new Views(json);
    private final byte[] tokenDigest;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    public AdminServer(OperatorConfig config, WorkflowRunnerService runner, AuditLog audit, Instrumentation instrumentation,
                       Readiness readiness) throws IOException {
        this.config = config;
        this.runner = runner;
        this.audit = audit;
        this.instrumentation = instrumentation;
        this.readiness = readiness;
        this.tokenDigest = config.adminToken().map(AdminServer::sha256).orElse(null);
        this.server = HttpServer.create(new InetSocketAddress(config.bind(), config.port()), 256);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    public void start() {
        server.start();
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---------------------------------------------------------------- dispatch

    private void handle(HttpExchange exchange) {
        try (exchange) {
            Response response;
            try {
                response = route(exchange);
            } catch (ApiException e) {
                response = Response.error(e);
            } catch (RuntimeException e) {
                response = Response.error(translate(e));
            }
            send(exchange, response);
        } catch (IOException e) {
            log.debug("admin API: could not answer {}: {}", exchange.getRequestMethod(), e.toString());
        } catch (RuntimeException e) {
            log.warn("admin API: request failed unexpectedly: {}", e.toString());
        }
    }

    private Response route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String rawPath = exchange.getRequestURI().getRawPath();
        if (rawPath == null || rawPath.length() > MAX_PATH) throw ApiException.badRequest("path is missing or longer than " + MAX_PATH + " characters");
        List<String> path = segments(rawPath);
        if (path.equals(List.of("health", "live"))) {
            allow(method, "GET");
            return Response.json(200, Map.of("status", "UP"));
        }
        authorize(exchange);
        if (path.equals(List.of("health", "ready"))) {
            allow(method, "GET");
            Map<String, Object> report = readiness.report();
            return Response.json("DOWN".equals(report.get("status")) ? 503 : 200, report);
        }
        if (path.equals(List.of("metrics"))) {
            allow(method, "GET");
            return new Response(200, "text/plain; version=0.0.4; charset=utf-8", instrumentation.scrape().getBytes(StandardCharsets.UTF_8), Map.of());
        }
        if (path.size() < 3 || !path.get(0).equals("api") || !path.get(1).equals("v1")) {
            throw ApiException.notFound("no such resource: see /api/v1/definitions, /api/v1/instances, /api/v1/events, /health/ready, /metrics");
        }
        List<String> rest = path.subList(2, path.size());
        String caller = caller(exchange);
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        return switch (rest.get(0)) {
            case "definitions" -> definitions(method, rest);
            case "instances" -> instances(exchange, method, rest, query, caller);
            case "events" -> {
                if (rest.size() != 1) throw ApiException.notFound("no such resource");
                allow(method, "POST");
                yield publishEvent(body(exchange), caller);
            }
            case "audit" -> {
                if (rest.size() != 1) throw ApiException.notFound("no such resource");
                allow(method, "GET");
                int limit = intParam(query, "limit", 100, 1, MAX_LIMIT);
                List<Map<String, Object>> entries = new ArrayList<>();
                for (AuditEntry a : audit.recent(limit)) entries.add(views.audit(a));
                yield Response.json(200, Map.of("items", entries));
            }
            default -> throw ApiException.notFound("no such resource: /api/v1/" + rest.get(0));
        };
    }

    // ---------------------------------------------------------------- definitions

    private Response definitions(String method, List<String> rest) {
        allow(method, "GET");
        if (rest.size() == 1) {
            List<Map<String, Object>> items = new ArrayList<>();
            for (WorkflowDefinition d : runner.definitions()) items.add(views.definitionSummary(d));
            return Response.json(200, Map.of("items", items));
        }
        if (rest.size() != 2) throw ApiException.notFound("no such resource");
        String text = rest.get(1);
        if (!REF.matcher(text).matches()) throw ApiException.badRequest("'" + printable(text) + "' is not a workflow id (nameSpace.name or nameSpace.name@1.0.0)");
        WorkflowRef ref;
        try {
            ref = WorkflowRef.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        WorkflowDefinition newest = null;
        for (WorkflowDefinition d : runner.definitions()) {
            if (!d.key().id().equals(ref.id())) continue;
            if (ref.version() != null) {
                if (d.key().version().equals(ref.version())) return Response.json(200, views.definition(d));
            } else if (newest == null || d.key().version().compareTo(newest.key().version()) > 0) {
                newest = d;
            }
        }
        if (newest == null) throw ApiException.notFound("workflow " + text + " is not registered");
        return Response.json(200, views.definition(newest));
    }

    // ---------------------------------------------------------------- instances

    private Response instances(HttpExchange exchange, String method, List<String> rest, Map<String, String> query, String caller) throws IOException {
        if (rest.size() == 1) {
            if (method.equals("POST")) return start(body(exchange), caller);
            allow(method, "GET", "POST");
            return list(query);
        }
        String id = rest.get(1);
        if (!ID.matcher(id).matches()) throw ApiException.badRequest("'" + printable(id) + "' is not an instance id");
        if (rest.size() == 2) {
            allow(method, "GET");
            return get(id);
        }
        if (rest.size() != 3) throw ApiException.notFound("no such resource");
        String command = rest.get(2);
        if (!List.of("suspend", "resume", "terminate").contains(command)) throw ApiException.notFound("no such command: " + printable(command));
        allow(method, "POST");
        JsonNode body = optionalBody(exchange);
        String reason = text(body, "reason", false);
        return lifecycle(command, id, reason == null ? "by " + caller + " through the admin API" : reason, caller);
    }

    private Response start(JsonNode body, String caller) {
        String workflow;
        String version;
        String reference;
        try {
            workflow = text(body, "workflow", false);
            if (workflow == null) workflow = text(body, "id", false);
            if (workflow == null) throw ApiException.invalid("field 'workflow' is required (nameSpace.name or nameSpace.name@1.0.0)");
            version = text(body, "version", false);
            reference = text(body, "reference", false);
            if (reference != null && reference.length() > 200) throw ApiException.invalid("field 'reference' is longer than 200 characters");
            WorkflowRef.of(workflow, version);
        } catch (ApiException | IllegalArgumentException e) {
            recordAudit(caller, "start", body.path("workflow").isTextual() ? body.path("workflow").asText() : "?", "refused", e.getMessage());
            throw e instanceof ApiException a ? a : ApiException.invalid(e.getMessage());
        }
        Object data = body.has("data") && !body.get("data").isNull() ? json.convertValue(body.get("data"), Object.class) : Map.of();
        String id = await(runner.startWorkflow(new StartRequest(workflow, version, data, reference, caller, "http")));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("workflow", workflow);
        m.put("location", "/api/v1/instances/" + id);
        log.info("start of {} through the admin API by {} answered with instance {}", resolvedKey(workflow, version), caller, id);
        return Response.json(201, m);
    }

    /** {@code nameSpace.name@version} of what a start resolved to, for the log line. */
    private String resolvedKey(String workflow, String version) {
        WorkflowRef ref = WorkflowRef.of(workflow, version);
        WorkflowDefinition newest = null;
        for (WorkflowDefinition d : runner.definitions()) {
            if (!d.key().id().equals(ref.id())) continue;
            if (ref.version() != null ? d.key().version().equals(ref.version())
                    : newest == null || d.key().version().compareTo(newest.key().version()) > 0) newest = d;
        }
        return newest == null ? workflow : newest.key().toString();
    }

    private Response list(Map<String, String> q) {
        WorkflowStatus status = null;
        if (q.containsKey("status")) {
            try {
                status = WorkflowStatus.valueOf(q.get("status").toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("status '" + printable(q.get("status")) + "' is not one of " + List.of(WorkflowStatus.values()));
            }
        }
        WorkflowId workflow = null;
        if (q.containsKey("definition")) {
            WorkflowRef ref;
            try {
                ref = WorkflowRef.parse(q.get("definition"));
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("definition: " + e.getMessage());
            }
            if (ref.version() != null) throw ApiException.invalid("definition filters by nameSpace.name; versions are not filtered");
            workflow = ref.id();
        }
        Instant from = instant(q, "from");
        Instant to = instant(q, "to");
        int offset = intParam(q, "offset", 0, 0, Integer.MAX_VALUE - MAX_LIMIT - 1);
        int limit = intParam(q, "limit", 50, 1, MAX_LIMIT);
        List<WorkflowInstance> found = runner.queryInstances(new InstanceQuery(status, workflow, from, to, offset, limit + 1));
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < Math.min(limit, found.size()); i++) items.add(views.instanceSummary(found.get(i)));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("items", items);
        m.put("offset", offset);
        m.put("limit", limit);
        m.put("nextOffset", found.size() > limit ? offset + limit : null);
        return Response.json(200, m);
    }

    private Response get(String id) {
        WorkflowInstance instance = runner.getInstance(id).orElseThrow(() -> ApiException.notFound("no workflow instance has the id " + id));
        WorkflowDefinition definition = null;
        for (WorkflowDefinition d : runner.definitions()) {
            if (d.key().equals(instance.definition())) definition = d;
        }
        List<AuditEntry> commands = new ArrayList<>();
        for (AuditEntry a : audit.recent(1_000)) {
            if (id.equals(a.target()) || id.equals(a.detail())) commands.add(0, a);
        }
        return Response.json(200, views.instance(instance, definition, instrumentation.history().of(id), instrumentation.history(), commands));
    }

    /** The runner audits the command with the caller as its origin, accepted or refused. */
    private Response lifecycle(String command, String id, String reason, String caller) {
        CommandOrigin origin = new CommandOrigin(caller, "http");
        WorkflowInstance result = await(switch (command) {
            case "suspend" -> runner.suspend(id, reason, origin);
            case "resume" -> runner.resume(id, origin);
            default -> runner.terminate(id, reason, origin);
        });
        log.info("instance {} of {}: {} by {} through the admin API, now {}", id, result.definition(), command, caller, result.status());
        return Response.json(200, views.instanceSummary(result));
    }

    private Response publishEvent(JsonNode body, String caller) {
        String name;
        String key;
        String eventId;
        Instant effectiveAt;
        try {
            name = text(body, "name", true);
            key = text(body, "key", true);
            eventId = text(body, "id", false);
            if (eventId != null && !ID.matcher(eventId).matches()) throw ApiException.invalid("field 'id' must match " + ID.pattern());
            String at = text(body, "effectiveAt", false);
            try {
                effectiveAt = at == null ? null : Instant.parse(at);
            } catch (DateTimeParseException e) {
                throw ApiException.invalid("field 'effectiveAt' is not an ISO-8601 instant such as 2026-01-31T12:00:00Z");
            }
        } catch (ApiException e) {
            recordAudit(caller, "publishEvent", body.path("name").isTextual() ? printable(body.path("name").asText()) : "?", "refused", e.getMessage());
            throw e;
        }
        Object data = body.has("data") && !body.get("data").isNull() ? json.convertValue(body.get("data"), Object.class) : null;
        String target = name + "/" + key;
        try {
            // The runner audits the command, accepted or refused, with this caller as its origin.
            String id = await(runner.publishEvent(eventId, name, key, data, effectiveAt, new CommandOrigin(caller, "http")));
            log.info("event {} ({}) published through the admin API by {}", id, printable(target), caller);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("name", name);
            m.put("key", key);
            return Response.json(202, m);
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    // ---------------------------------------------------------------- helpers

    private <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof CompletionException && cause.getCause() != null) cause = cause.getCause();
            throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
        } catch (TimeoutException e) {
            throw ApiException.unavailable("the runner did not answer within " + CALL_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted while the daemon stops");
        }
    }

    /** Maps the runner's exceptions to responses. */
    static ApiException translate(RuntimeException e) {
        return switch (e) {
            case ApiException a -> a;
            case WorkflowNotFoundException w -> ApiException.notFound(w.getMessage());
            case InstanceNotFoundException i -> ApiException.notFound(i.getMessage());
            case InstanceFinishedException f -> ApiException.conflict(f.getMessage());
            case DuplicateWorkflowException d -> ApiException.conflict(d.getMessage());
            case InvalidWorkflowException i -> ApiException.invalid(i.getMessage());
            case RunnerNotInitializedException r -> ApiException.unavailable("the runner is not running (starting or stopping)");
            case StoreUnavailableException s -> ApiException.unavailable("the instance store is unavailable: " + s.getMessage());
            case IllegalStateException s when s.getClass() != IllegalStateException.class -> ApiException.conflict(s.getMessage());
            case IllegalArgumentException a -> ApiException.invalid(a.getMessage());
            default -> {
                log.warn("admin API: unexpected {}: {}", e.getClass().getName(), e.getMessage());
                yield new ApiException(500, "internal", "internal error: " + e.getClass().getSimpleName());
            }
        };
    }

    private void authorize(HttpExchange exchange) {
        if (tokenDigest == null) return;
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
        if (!MessageDigest.isEqual(tokenDigest, sha256(given))) {
            throw new ApiException(401, "unauthorized", header == null ? "missing Authorization: Bearer <token>" : "wrong token");
        }
    }

    private String caller(HttpExchange exchange) {
        String named = exchange.getRequestHeaders().getFirst("X-Workflow-Caller");
        String who = named != null && CALLER.matcher(named).matches() ? named : "anonymous";
        String from = exchange.getRemoteAddress() == null ? "?" : exchange.getRemoteAddress().getAddress().getHostAddress();
        return who + "@" + from;
    }

    private void recordAudit(String caller, String command, String target, String outcome, String detail) {
        try {
            audit.record(new AuditEntry(Instant.now(), caller, "http", command, target, outcome, detail));
        } catch (RuntimeException e) {
            log.warn("audit log failed to record {} of {}: {}", command, target, e.toString());
        }
    }

    private static void allow(String method, String... allowed) {
        for (String a : allowed) {
            if (a.equals(method)) return;
        }
        throw new ApiException(405, "method_not_allowed", "method " + printable(method) + " is not allowed here; allowed: " + String.join(", ", allowed));
    }

    private JsonNode body(HttpExchange exchange) throws IOException {
        byte[] bytes = readBody(exchange);
        if (bytes.length == 0) throw ApiException.badRequest("a JSON object body is required");
        JsonNode node;
        try {
            node = json.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) throw ApiException.badRequest("the body must be a JSON object");
        return node;
    }

    private JsonNode optionalBody(HttpExchange exchange) throws IOException {
        byte[] bytes = readBody(exchange);
        if (bytes.length == 0) return json.createObjectNode();
        try {
            JsonNode node = json.readTree(bytes);
            if (node == null || !node.isObject()) throw ApiException.badRequest("the body must be a JSON object");
            return node;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed JSON: " + e.getOriginalMessage());
        }
    }

    private byte[] readBody(HttpExchange exchange) throws IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("Content-Length is not a number");
            }
            if (declared > config.maxBodyBytes()) {
                if (declared <= DRAIN_CAP) drain(exchange.getRequestBody());
                throw tooLarge();
            }
        }
        InputStream in = exchange.getRequestBody();
        byte[] bytes = in.readNBytes(config.maxBodyBytes() + 1);
        if (bytes.length > config.maxBodyBytes()) {
            drain(in);
            throw tooLarge();
        }
        return bytes;
    }

    /**
     * Reads and drops what is left of a refused body, up to {@link #DRAIN_CAP} bytes, so the client can read the 413
     * instead of seeing its connection reset; beyond the cap the connection is simply closed.
     */
    private static void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        int n;
        while (total < DRAIN_CAP && (n = in.read(buffer)) >= 0) total += n;
    }

    private ApiException tooLarge() {
        return new ApiException(413, "payload_too_large", "the body is larger than " + config.maxBodyBytes() + " bytes");
    }

    private static String text(JsonNode body, String field, boolean required) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            if (required) throw ApiException.invalid("field '" + field + "' is required");
            return null;
        }
        if (!node.isTextual()) throw ApiException.invalid("field '" + field + "' must be a string");
        return node.asText();
    }

    private static int intParam(Map<String, String> q, String name, int fallback, int min, int max) {
        String v = q.get(name);
        if (v == null) return fallback;
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.invalid(name + " '" + printable(v) + "' is not a whole number from " + min + " to " + max);
        }
    }

    private static Instant instant(Map<String, String> q, String name) {
        String v = q.get(name);
        if (v == null) return null;
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(name + " '" + printable(v) + "' is not an ISO-8601 instant such as 2026-01-31T12:00:00Z");
        }
    }

    private static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        for (String raw : rawPath.split("/")) {
            if (raw.isEmpty()) continue;
            String s;
            try {
                s = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("malformed percent-encoding in the path");
            }
            if (s.equals(".") || s.equals("..") || s.contains("/") || s.contains("\\")) {
                throw ApiException.badRequest("path segments '.', '..' and encoded slashes are not allowed");
            }
            out.add(s);
        }
        return out;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) return out;
        if (raw.length() > 2048) throw ApiException.badRequest("query string too long");
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            try {
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.put(k, v);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("malformed percent-encoding in the query");
            }
        }
        return out;
    }

    /** Shortened and stripped of control characters, so a hostile value cannot forge log lines or bloat a response. */
    static String printable(String s) {
        if (s == null) return "null";
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return cut.replaceAll("[\\p{Cntrl}]", "?");
    }

    private void send(HttpExchange exchange, Response response) throws IOException {
        response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.getResponseHeaders().set("Content-Type", response.contentType());
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if (response.status() == 413 || response.status() == 400) exchange.getResponseHeaders().set("Connection", "close");
        if (response.status() == 401) exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
        byte[] body = response.body();
        if ("HEAD".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(response.status(), -1);
            return;
        }
        exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    record Response(int status, String contentType, byte[] body, Map<String, String> headers) {

        private static final ObjectMapper WRITER = new ObjectMapper();

        static Response json(int status, Object value) {
            try {
                return new Response(status, "application/json; charset=utf-8", WRITER.writeValueAsBytes(value), Map.of());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("response not writable as JSON", e);
            }
        }

        static Response error(ApiException e) {
            ObjectNode error = WRITER.createObjectNode();
            error.put("status", e.status());
            error.put("code", e.code());
            error.put("message", e.getMessage());
            ObjectNode root = WRITER.createObjectNode();
            root.set("error", error);
            Map<String, String> headers = e.status() == 405 ? Map.of("Allow", allowFrom(e.getMessage())) : Map.of();
            try {
                return new Response(e.status(), "application/json; charset=utf-8", WRITER.writeValueAsBytes(root), headers);
            } catch (JsonProcessingException x) {
                throw new IllegalStateException(x);
            }
        }

        private static String allowFrom(String message) {
            int i = message.indexOf("allowed: ");
            return i < 0 ? "GET" : message.substring(i + 9);
        }
    }

    /** For tests and logs: the address as bound. */
    public Optional<String> address() {
        return Optional.of("http://" + config.bind().getHostAddress() + ":" + port());
    }
}
