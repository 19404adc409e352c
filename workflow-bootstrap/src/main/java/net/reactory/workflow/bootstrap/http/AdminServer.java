package net.reactory.workflow.bootstrap.http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import net.reactory.workflow.application.port.in.LogSafe;
import net.reactory.workflow.application.port.in.WorkflowRunner;
import net.reactory.workflow.bootstrap.config.OperatorConfig;
import net.reactory.workflow.bootstrap.metrics.Instrumentation;
import net.reactory.workflow.bootstrap.metrics.StatsSampler;

/**
 * The admin API on the JDK's HTTP server: {@code /api/v1/...}, {@code /health/live}, {@code /health/ready}
 * and {@code /metrics}. JSON in and out; every error is {@code {"error":{"status":..,"code":..,"message":..}}}.
 * This class owns what every request shares (the bearer token, the routing to one resource per kind,
 * the error responses); the resources own what their paths mean, and list them ({@link #routes()}), which the
 * OpenAPI description at {@code /api/v1/openapi.json} is held to.
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
    private static final String RESOURCES = "see /api/v1/openapi.json";
    /** The dashboard's own routes, served by {@link DashboardAssets}. */
    private static final List<Route> DASHBOARD = List.of(Route.get("/"), Route.get("/ui/"), Route.get("/ui/{asset}"));

    private final OperatorConfig config;
    private final ObjectMapper json = JsonData.mapper();
    private final HealthResource health;
    private final Map<String, Resource> api;
    private final DashboardAssets dashboard = new DashboardAssets();
    private final StatsSampler stats;
    private final byte[] tokenDigest;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    /** How long a stop waits for requests in progress to be answered. */
    static final int STOP_GRACE_SECONDS = 3;

    public AdminServer(OperatorConfig config, WorkflowRunner runner, Instrumentation instrumentation, Readiness readiness) throws IOException {
        this(config, runner, instrumentation, readiness, 1_000);
    }

    /** @param historyLimit the store's cap of history events per instance, for the instance view to tell */
    public AdminServer(OperatorConfig config, WorkflowRunner runner, Instrumentation instrumentation, Readiness readiness,
                       int historyLimit) throws IOException {
        this.config = config;
        Views views = new Views(json);
        this.health = new HealthResource(readiness, instrumentation);
        this.stats = new StatsSampler(instrumentation.registry(), InstantSource.system());
        Map<String, Resource> resources = new LinkedHashMap<>();
        resources.put("definitions", new DefinitionsResource(runner, views));
        resources.put("instances", new InstancesResource(runner, views, historyLimit));
        resources.put("events", new EventsResource(runner));
        resources.put("audit", new AuditResource(runner, views));
        resources.put("stats", new StatsResource(stats, runner, readiness));
        resources.put("openapi.json", new OpenApiResource());
        this.api = Map.copyOf(resources);
        this.tokenDigest = config.adminToken().map(AdminServer::sha256).orElse(null);
        this.server = HttpServer.create(new InetSocketAddress(config.bind(), config.port()), 256);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    public void start() {
        stats.start();
        server.start();
    }

    /** Every route this server answers: the health paths, each resource's, the dashboard's. */
    public List<Route> routes() {
        List<Route> all = new ArrayList<>(HealthResource.routes());
        api.values().forEach(r -> all.addAll(r.routes()));
        all.addAll(DASHBOARD);
        return all;
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** For tests and logs: the address as bound. */
    public Optional<String> address() {
        return Optional.of("http://" + config.bind().getHostAddress() + ":" + port());
    }

    /**
     * Stops gracefully: the listener closes at once (new connections are refused), requests already being read or
     * handled are answered, for up to {@link #STOP_GRACE_SECONDS}, then the remaining connections are closed. The JDK
     * server returns as soon as no exchange is left, so an idle server stops without waiting.
     */
    @Override
    public void close() {
        server.stop(STOP_GRACE_SECONDS);
        stats.close();
        executor.shutdown();
        try {
            if (!executor.awaitTermination(1, java.util.concurrent.TimeUnit.SECONDS)) executor.shutdownNow();
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            if (DashboardAssets.handles(exchange.getRequestURI().getRawPath())) { // the dashboard's files: no token, they hold no data
                dashboard.serve(exchange);
                return;
            }
            Response response;
            try {
                response = route(Request.of(exchange, config.maxBodyBytes(), json));
            } catch (RuntimeException e) {
                response = Response.error(ApiException.of(e));
            }
            send(exchange, response);
        } catch (IOException e) {
            log.debug("admin API: could not answer {}: {}", LogSafe.of(exchange.getRequestMethod()), LogSafe.of(e));
        } catch (RuntimeException e) {
            log.warn("admin API: request failed unexpectedly: {}", LogSafe.of(e));
        }
    }

    /** Liveness is open to all; everything else needs the token (when one is set), then goes to its resource. */
    private Response route(Request request) throws IOException {
        List<String> path = request.path();
        if (path.equals(HealthResource.LIVE)) return health.handle(request);
        authorize(request.exchange());
        if (HealthResource.serves(path)) return health.handle(request);
        if (path.size() < 3 || !path.get(0).equals("api") || !path.get(1).equals("v1")) {
            throw ApiException.notFound("no such resource: " + RESOURCES);
        }
        Request below = request.below(2);
        String name = below.path().get(0);
        Resource resource = api.get(name);
        if (resource == null) throw ApiException.notFound("no such resource: /api/v1/" + name);
        return resource.handle(below.below(1));
    }

    private void authorize(HttpExchange exchange) {
        if (tokenDigest == null) return;
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
        if (!MessageDigest.isEqual(tokenDigest, sha256(given))) {
            throw new ApiException(401, "unauthorized", header == null ? "missing Authorization: Bearer <token>" : "wrong token");
        }
    }

    private static void send(HttpExchange exchange, Response response) throws IOException {
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
}
