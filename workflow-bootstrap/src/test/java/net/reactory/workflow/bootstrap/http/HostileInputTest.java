package net.reactory.workflow.bootstrap.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import net.reactory.workflow.adapter.memory.InProcessWorkSignal;
import net.reactory.workflow.adapter.memory.MemoryEventStore;
import net.reactory.workflow.adapter.memory.MemoryInstanceStore;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.bootstrap.Settings;
import net.reactory.workflow.bootstrap.config.OperatorConfig;
import net.reactory.workflow.definitions.DefinitionReader;
import net.reactory.workflow.definitions.StepTypes;
import net.reactory.workflow.bootstrap.metrics.Instrumentation;
import net.reactory.workflow.domain.definition.Workflow;

/** Issue 14, points 8-12: what hostile bodies and parameters get from the admin API, in-process on the memory store. */
class HostileInputTest {

    private static final String PARKED_JSON = """
            {"nameSpace": "hostile", "name": "Parked", "version": "1.0.0",
             "steps": [{"name": "wait", "type": "wait-for-event", "event": "never", "key": "k"}]}""";

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private WorkflowRunnerService runner;
    private AdminServer server;

    @BeforeEach
    void start() throws Exception {
        Workflow parked = new DefinitionReader(StepTypes.builtIn(), (id, name, key, data) -> { }).read("parked.json", PARKED_JSON);
        List<Workflow> workflows = List.of(parked);
        InProcessWorkSignal signal = new InProcessWorkSignal();
        Instrumentation instrumentation = new Instrumentation();
        MemoryInstanceStore store = new MemoryInstanceStore();
        runner = WorkflowRunnerService.builder().store(instrumentation.store(store)).eventStore(new MemoryEventStore()).workSignal(signal)
                .metrics(instrumentation.metrics()).workflows(workflows).build();
        runner.initialize().get(10, TimeUnit.SECONDS);
        Readiness.StoreProbe probe = new Readiness.StoreProbe("memory", () -> store.load("readiness-probe"));
        Readiness readiness = new Readiness(runner, probe, "in-process", Settings.fromEnvironment(Map.of()), List.of());
        server = new AdminServer(OperatorConfig.from(Map.of("WORKFLOW_HTTP_PORT", "0")), runner, instrumentation, readiness);
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        runner.stop().get(10, TimeUnit.SECONDS);
    }

    // ---------------------------------------------------------------- 8: numbers

    @Test
    void givenNumbersNoDoubleHolds_whenStartedAndShown_thenEachComesBackDigitForDigit() throws Exception {
        String data = "{\"precise\":0.1000000000000000000001,\"tiny\":1e-400,\"big\":123456789012345678901234567890,"
                + "\"zeros\":19.990,\"plain\":0.1,\"count\":42,\"nested\":[{\"x\":-98765432109876543210.000000000000000000001}]}";
        HttpResponse<String> started = post("/api/v1/instances", "{\"workflow\":\"hostile.Parked\",\"data\":" + data + "}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);

        String shown = get("/api/v1/instances/" + json.readTree(started.body()).path("id").asText()).body();

        assertThat(shown).contains("\"precise\":0.1000000000000000000001", "\"tiny\":1E-400", "\"big\":123456789012345678901234567890",
                "\"plain\":0.1", "\"count\":42", "\"x\":-98765432109876543210.000000000000000000001");
    }

    @Test
    void givenANumberBeyondADouble_whenStarted_then422NamingTheField() throws Exception {
        for (String number : List.of("1e400", "-1e400", "1e-999999999")) {
            HttpResponse<String> r = post("/api/v1/instances", "{\"workflow\":\"hostile.Parked\",\"data\":{\"order\":{\"amount\":" + number + "}}}");
            assertError(r, 422, "invalid_input", "data.order.amount");
        }
        assertThat(runner.queryInstances(new net.reactory.workflow.application.port.in.InstanceFilter(null, null, null, null, 0, 10))).isEmpty();
    }

    // ---------------------------------------------------------------- 9: instants

    @Test
    void givenInstantsOutsideYears0000To9999_whenSent_then422NamingTheFieldAndNoInternalError() throws Exception {
        HttpResponse<String> event = post("/api/v1/events", "{\"name\":\"paid\",\"key\":\"k\",\"effectiveAt\":\"+999999999-12-31T23:59:59Z\"}");
        assertError(event, 422, "invalid_input", "effectiveAt");
        assertThat(event.body()).contains("0000-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z").doesNotContain("Exception");

        HttpResponse<String> from = get("/api/v1/instances?from=-999999999-01-01T00:00:00Z");
        assertError(from, 422, "invalid_input", "from");
        assertError(get("/api/v1/instances?to=%2B10000-01-01T00:00:00Z"), 422, "invalid_input", "to");
        assertThat(get("/api/v1/instances?from=0000-01-01T00:00:00Z&to=9999-12-31T23:59:59Z").statusCode()).isEqualTo(200);
    }

    // ---------------------------------------------------------------- 10: data of a JSON definition

    @Test
    void givenAJsonDefinition_whenStartedWithDataThatIsNoObject_then422AndNothingStarted() throws Exception {
        for (String data : List.of("\"just a string\"", "42", "[1,2]", "true")) {
            HttpResponse<String> r = post("/api/v1/instances", "{\"workflow\":\"hostile.Parked\",\"data\":" + data + "}");
            assertError(r, 422, "invalid_input", "data must be a JSON object");
        }
        assertThat(runner.queryInstances(new net.reactory.workflow.application.port.in.InstanceFilter(null, null, null, null, 0, 10))).isEmpty();
        assertThat(post("/api/v1/instances", "{\"workflow\":\"hostile.Parked\",\"data\":{\"a\":1}}").statusCode()).isEqualTo(201);
    }

    // ---------------------------------------------------------------- 12: limits say what they are

    @Test
    void givenDataNested300Deep_whenStarted_thenRefusedAsNestedTooDeepNotAsTooLarge() throws Exception {
        String deep = "{\"a\":".repeat(300) + "1" + "}".repeat(300);
        HttpResponse<String> r = post("/api/v1/instances", "{\"workflow\":\"hostile.Parked\",\"data\":" + deep + "}");

        assertError(r, 422, "invalid_input", "nested deeper than 256 levels");
        assertThat(r.body()).doesNotContain("bytes");
        String justDeepEnough = "{\"a\":".repeat(255) + "1" + "}".repeat(255);
        assertThat(post("/api/v1/instances", "{\"workflow\":\"hostile.Parked\",\"data\":" + justDeepEnough + "}").statusCode()).isEqualTo(201);
    }

    @Test
    void givenDigitsOfOtherScripts_whenUsedAsLimitOrOffset_then422() throws Exception {
        assertError(get("/api/v1/instances?limit=%D9%A1"), 422, "invalid_input", "limit");
        assertError(get("/api/v1/instances?limit=%EF%BC%95"), 422, "invalid_input", "limit");
        assertError(get("/api/v1/instances?offset=%E0%A5%A7"), 422, "invalid_input", "offset");
        assertError(get("/api/v1/audit?limit=%EF%BC%95"), 422, "invalid_input", "limit");
        assertThat(get("/api/v1/instances?limit=5").statusCode()).isEqualTo(200);
    }

    @Test
    void givenADuplicateKey_whenPosted_thenRefusedNamingIt() throws Exception {
        HttpResponse<String> r = post("/api/v1/instances", "{\"workflow\":\"hostile.Parked\",\"workflow\":\"reactory.Startup\"}");
        assertError(r, 400, "bad_request", "workflow");
        assertThat(r.body()).containsIgnoringCase("duplicate");
        assertError(post("/api/v1/instances", "{\"workflow\":\"hostile.Parked\",\"data\":{\"a\":1,\"a\":2}}"), 400, "bad_request", "'a'");
    }

    // ---------------------------------------------------------------- helpers

    private void assertError(HttpResponse<String> r, int status, String code, String mentions) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode error = json.readTree(r.body()).path("error");
        assertThat(error.path("code").asText()).as(r.body()).isEqualTo(code);
        assertThat(error.path("status").asInt()).isEqualTo(status);
        assertThat(error.path("message").asText()).contains(mentions);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
