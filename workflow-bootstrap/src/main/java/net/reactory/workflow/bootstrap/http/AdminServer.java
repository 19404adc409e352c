package net.reactory.workflow.bootstrap.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;

import net.reactory.workflow.application.port.in.WorkflowRunner;
import net.reactory.workflow.bootstrap.config.OperatorConfig;
import net.reactory.workflow.bootstrap.metrics.Instrumentation;
import net.reactory.workflow.bootstrap.metrics.StatsSampler;

/**
 * The admin API on Jetty ({@link AdminHttp}): {@code /api/v1/...}, {@code /health/live}, {@code /health/ready}
 * and {@code /metrics}. JSON in and out; every error is {@code {"error":{"status":..,"code":..,"message":..}}}.
 * This class owns what every request shares (the bearer token, the routing to one resource per kind,
 * the error responses); the resources own what their paths mean, and list them ({@link #routes()}), which the
 * OpenAPI description at {@code /api/v1/openapi.json} is held to.
 */
public final class AdminServer implements AutoCloseable {

    private static final String RESOURCES = "see /api/v1/openapi.json";
    /** The dashboard's own routes, served by {@link DashboardAssets}. */
    private static final List<Route> DASHBOARD = List.of(Route.get("/"), Route.get("/ui/"), Route.get("/ui/{asset}"));
    /** The characters RFC 3986 lets a path hold as they are: unreserved, sub-delims, ':', '@', '/' and '%' escapes. */
    private static final BitSet PATH_CHARS = new BitSet(128);

    static {
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/%".chars().forEach(PATH_CHARS::set);
    }

    private final OperatorConfig config;
    private final ObjectMapper json = JsonData.mapper();
    private final HealthResource health;
    private final Map<String, Resource> api;
    private final DashboardAssets dashboard = new DashboardAssets();
    private final StatsSampler stats;
    private final byte[] tokenDigest;
    private final AdminHttp server;
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
        this.server = new AdminHttp(config.bind(), config.port(), STOP_GRACE_SECONDS * 1000L, this::answer);
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
        return server.port();
    }

    /** For tests and logs: the address as bound. */
    public Optional<String> address() {
        return Optional.of("http://" + config.bind().getHostAddress() + ":" + port());
    }

    /**
     * Stops gracefully: the listener closes at once (new connections are refused), requests already being read or
     * handled are answered, for up to {@link #STOP_GRACE_SECONDS}, then the remaining connections are closed. An idle
     * server stops without waiting.
     */
    @Override
    public void close() {
        server.close();
        stats.close();
    }

    /** One request's answer; nothing a request holds makes it throw but the client going away (IOException). */
    private Response answer(Exchange exchange) throws IOException {
        Response response;
        try {
            response = refuseUnsupported(exchange);
            if (response == null && DashboardAssets.handles(exchange.rawPath())) { // the dashboard's files: no token, they hold no data
                DashboardAssets.Asset asset = dashboard.answer(exchange.method(), exchange.rawPath());
                return AdminHttp.secured(new Response(asset.status(), asset.contentType(), asset.body(), asset.headers()));
            }
            if (response == null) response = route(Request.of(exchange, config.maxBodyBytes(), json));
        } catch (RuntimeException e) {
            response = Response.error(ApiException.of(e));
        }
        return AdminHttp.secured(withStatusHeaders(response));
    }

    /**
     * What the parser lets through but the API does not take: a target that is not a path ({@code *}, the
     * {@code OPTIONS *} form), raw characters a path must escape ({@code {}, a space), and a transfer coding other than
     * plain {@code chunked} ({@code gzip, chunked}: the body would arrive still compressed).
     */
    private static Response refuseUnsupported(Exchange exchange) {
        String path = exchange.rawPath();
        if (path == null || !path.startsWith("/")) {
            return Response.error(ApiException.badRequest("the request target must be a path such as /api/v1/definitions"));
        }
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) > 0x7e || !PATH_CHARS.get(path.charAt(i))) {
                return Response.error(ApiException.badRequest("the path holds a character that must be percent-encoded (RFC 3986)"));
            }
        }
        String coding = exchange.header().apply("Transfer-Encoding");
        if (coding != null && !coding.trim().equalsIgnoreCase("chunked")) {
            return Response.error(new ApiException(501, "not_implemented", "Transfer-Encoding '" + Request.printable(coding)
                    + "' is not supported: send the body plainly with Content-Length, or chunked alone"));
        }
        return null;
    }

    /** Liveness is open to all; everything else needs the token (when one is set), then goes to its resource. */
    private Response route(Request request) throws IOException {
        List<String> path = request.path();
        if (path.equals(HealthResource.LIVE)) return health.handle(request);
        authorize(request);
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

    private void authorize(Request request) {
        if (tokenDigest == null) return;
        String header = request.header("Authorization");
        String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
        if (!MessageDigest.isEqual(tokenDigest, sha256(given))) {
            throw new ApiException(401, "unauthorized", header == null ? "missing Authorization: Bearer <token>" : "wrong token");
        }
    }

    /** A refused body may be partly unread: the connection is closed after it. A 401 names the scheme. */
    private static Response withStatusHeaders(Response response) {
        Map<String, String> headers = new LinkedHashMap<>(response.headers());
        if (response.status() == 413 || response.status() == 400) headers.put("Connection", "close");
        if (response.status() == 401) headers.put("WWW-Authenticate", "Bearer");
        return new Response(response.status(), response.contentType(), response.body(), headers);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
