package net.reactory.workflow.bootstrap.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import net.reactory.workflow.adapter.memory.InProcessWorkSignal;
import net.reactory.workflow.adapter.memory.MemoryInstanceStore;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.bootstrap.DefaultWorkflows;
import net.reactory.workflow.bootstrap.Settings;
import net.reactory.workflow.bootstrap.config.OperatorConfig;
import net.reactory.workflow.bootstrap.metrics.Instrumentation;

/** The OpenAPI description stays true: every route the admin server answers is described, and nothing else is. */
class OpenApiDescriptionTest {

    private static final List<String> METHODS = List.of("get", "post", "put", "patch", "delete");

    private final HttpClient http = HttpClient.newHttpClient();
    private WorkflowRunnerService runner;
    private AdminServer server;
    private JsonNode description;

    @BeforeEach
    void start() throws Exception {
        MemoryInstanceStore store = new MemoryInstanceStore();
        InProcessWorkSignal signal = new InProcessWorkSignal();
        Instrumentation instrumentation = new Instrumentation();
        runner = WorkflowRunnerService.builder().store(store).eventStore(new net.reactory.workflow.adapter.memory.MemoryEventStore()).workSignal(signal).metrics(instrumentation.metrics())
                .workflows(DefaultWorkflows.all()).build();
        runner.initialize().get(10, TimeUnit.SECONDS);
        Readiness readiness = new Readiness(runner, new Readiness.StoreProbe("MemoryInstanceStore", () -> store.load("probe")),
                "InProcessWorkSignal", Settings.fromEnvironment(Map.of()), List.of());
        server = new AdminServer(OperatorConfig.from(Map.of("WORKFLOW_HTTP_PORT", "0")), runner, instrumentation, readiness);
        server.start();
        description = new ObjectMapper().readTree(OpenApiResource.read());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        runner.stop().get(10, TimeUnit.SECONDS);
    }

    /** The routes that have no operation in the description. */
    static List<Route> undescribed(List<Route> routes, JsonNode description) {
        List<Route> missing = new ArrayList<>();
        for (Route r : routes) {
            JsonNode op = description.path("paths").path(r.path()).path(r.method().toLowerCase(Locale.ROOT));
            if (op.isMissingNode() || op.path("summary").asText().isBlank() || !op.path("responses").isObject()) missing.add(r);
        }
        return missing;
    }

    /** The operations of the description that no route answers. */
    static List<Route> stale(List<Route> routes, JsonNode description) {
        List<Route> stale = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = description.path("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            for (String m : METHODS) {
                Route r = new Route(m.toUpperCase(Locale.ROOT), path.getKey());
                if (path.getValue().has(m) && !routes.contains(r)) stale.add(r);
            }
        }
        return stale;
    }

    @Test
    void givenTheAdminServersRoutes_whenHeldToTheDescription_thenEveryRouteIsDescribedAndNoOperationIsStale() {
        assertThat(description.path("openapi").asText()).startsWith("3.1");
        assertThat(server.routes()).hasSizeGreaterThanOrEqualTo(20).doesNotHaveDuplicates();

        assertThat(undescribed(server.routes(), description)).as("routes without a description").isEmpty();
        assertThat(stale(server.routes(), description)).as("described operations no route answers").isEmpty();
    }

    @Test
    void givenARouteAddedWithoutItsDescription_whenHeldToTheDescription_thenItIsReported() {
        List<Route> routes = new ArrayList<>(server.routes());
        Route added = Route.get("/api/v1/instances/{id}/graph");
        routes.add(added);

        assertThat(undescribed(routes, description)).containsExactly(added);
    }

    @Test
    void givenEveryGetRouteWithoutParameters_whenCalled_thenItAnswersAndTheDescriptionItselfIsServed() throws Exception {
        for (Route r : server.routes()) {
            if (!r.method().equals("GET") || r.path().contains("{")) continue;
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + r.path())).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as("GET %s: %s", r.path(), answer.body()).isIn(200, 302);
        }
        HttpResponse<String> served = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/openapi.json"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(new ObjectMapper().readTree(served.body())).isEqualTo(description);
    }
}
