package net.reactory.workflow.bootstrap.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import net.reactory.workflow.adapter.memory.MemoryEventStore;
import net.reactory.workflow.adapter.memory.InProcessWorkSignal;
import net.reactory.workflow.adapter.memory.MemoryInstanceStore;
import net.reactory.workflow.application.port.out.CreateResult;
import net.reactory.workflow.application.port.in.InstanceFilter;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.port.out.StoreUnavailableException;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.bootstrap.DefaultWorkflows;
import net.reactory.workflow.bootstrap.Settings;
import net.reactory.workflow.bootstrap.config.OperatorConfig;
import net.reactory.workflow.bootstrap.metrics.Instrumentation;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/** The admin API in-process, over a store that can be switched off: the 503 path, which a healthy daemon cannot show. */
class AdminServerTest {

    private final AtomicBoolean storeDown = new AtomicBoolean();
    private final HttpClient http = HttpClient.newHttpClient();
    private WorkflowRunnerService runner;
    private AdminServer server;

    @BeforeEach
    void start() throws Exception {
        InstanceStore store = new SwitchableStore(new MemoryInstanceStore(), storeDown);
        InProcessWorkSignal signal = new InProcessWorkSignal();
        Instrumentation instrumentation = new Instrumentation();
        runner = WorkflowRunnerService.builder().store(instrumentation.store(store)).eventStore(new MemoryEventStore()).workSignal(signal).metrics(instrumentation.metrics())
                .workflows(DefaultWorkflows.all()).build();
        runner.initialize().get(10, TimeUnit.SECONDS);
        Readiness.StoreProbe probe = new Readiness.StoreProbe(store.getClass().getSimpleName(), () -> store.load("readiness-probe"));
        Readiness readiness = new Readiness(runner, probe, signal.getClass().getSimpleName(), Settings.fromEnvironment(Map.of()), List.of());
        server = new AdminServer(OperatorConfig.from(Map.of("WORKFLOW_HTTP_PORT", "0")), runner, instrumentation, readiness);
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        runner.stop().get(10, TimeUnit.SECONDS);
    }

    @Test
    void givenStoreDown_whenAnInstanceIsStartedOrReadinessAsked_thenBoth503AndTheApiServesAgainWhenItIsBack() throws Exception {
        storeDown.set(true);
        HttpResponse<String> start = post("/api/v1/instances", "{\"workflow\":\"reactory.Startup\"}");
        assertThat(start.statusCode()).as(start.body()).isEqualTo(503);
        assertThat(json(start).path("error").path("code").asText()).isEqualTo("unavailable");
        HttpResponse<String> ready = get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(json(ready).path("status").asText()).isEqualTo("DOWN");
        assertThat(json(ready).path("components").path("store").path("status").asText()).isEqualTo("DOWN");
        assertThat(get("/health/live").statusCode()).isEqualTo(200);

        storeDown.set(false);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(post("/api/v1/instances", "{\"workflow\":\"reactory.Startup\"}").statusCode()).isEqualTo(201));
    }

    @Test
    void givenHeadAndUnknownRoutes_whenRequested_thenNotFoundOrMethodNotAllowedWithAllowHeader() throws Exception {
        assertThat(get("/nothing").statusCode()).isEqualTo(404);
        assertThat(get("/api/v2/definitions").statusCode()).isEqualTo(404);
        HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create(base() + "/metrics")).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(405);
        assertThat(wrong.headers().firstValue("Allow")).contains("GET");
    }

    private String base() {
        return "http://127.0.0.1:" + server.port();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return new ObjectMapper().readTree(r.body());
    }

    /** Passes through, or throws as an unreachable store does. */
    private record SwitchableStore(InstanceStore delegate, AtomicBoolean down) implements InstanceStore {
        private void check() {
            if (down.get()) throw new StoreUnavailableException("store switched off by the test", null);
        }

        public CreateResult create(WorkflowInstance i, List<WorkflowEvent> c) { check(); return delegate.create(i, c); }
        public Optional<WorkflowInstance> load(String id) { check(); return delegate.load(id); }
        public Optional<WorkflowInstance> findByReference(net.reactory.workflow.domain.definition.WorkflowId w, String r) { check(); return delegate.findByReference(w, r); }
        public boolean save(WorkflowInstance i, long r, List<WorkflowEvent> c) { check(); return delegate.save(i, r, c); }
        public List<WorkflowInstance> claimDue(String o, Instant n, Instant u, int l) { check(); return delegate.claimDue(o, n, u, l); }
        public Optional<WorkflowInstance> claim(String id, String o, Instant n, Instant u) { check(); return delegate.claim(id, o, n, u); }
        public boolean renewLease(String id, String o, long r, Instant u) { check(); return delegate.renewLease(id, o, r, u); }
        public boolean releaseLease(String id, String o, long r) { check(); return delegate.releaseLease(id, o, r); }
        public List<WorkflowInstance> query(InstanceFilter q) { check(); return delegate.query(q); }
        public java.util.Map<net.reactory.workflow.domain.instance.WorkflowStatus, Long> countByStatus(InstanceFilter q) { check(); return delegate.countByStatus(q); }
        public Optional<net.reactory.workflow.application.port.out.HistoryPage> history(String id, long a, int l) { check(); return delegate.history(id, a, l); }
        public long purgeFinishedBefore(Instant c) { check(); return delegate.purgeFinishedBefore(c); }
    }
}
