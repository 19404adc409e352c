package net.reactory.workflow.bootstrap.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import net.reactory.workflow.adapter.memory.InProcessWorkSignal;
import net.reactory.workflow.adapter.memory.MemoryInstanceStore;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.bootstrap.Settings;
import net.reactory.workflow.bootstrap.config.OperatorConfig;
import net.reactory.workflow.bootstrap.metrics.Instrumentation;
import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.step.StepContext;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.language.WorkflowBuilder;

/** The instance endpoints of issue 16 in-process: history pages, cursor paging, counts, bulk commands and what they refuse. */
class InstancesApiTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private WorkflowRunnerService runner;
    private AdminServer server;

    @SuppressWarnings("unchecked")
    private static Workflow hold(String version) {
        return WorkflowBuilder.define("t", "Hold", version, Map.class)
                .then("Mark", (Map data) -> data)
                .waitFor("Wait", "go", d -> String.valueOf(d.get("n")), (d, e) -> d)
                .build();
    }

    /** A parent whose child is asked for after more events than one page of history holds. */
    @SuppressWarnings("unchecked")
    private static Workflow longParent() {
        WorkflowBuilder<Map> parent = WorkflowBuilder.define("t", "LongParent", "1.0.0", Map.class);
        for (int i = 0; i < 120; i++) parent = parent.then("Step" + i, (Map data) -> data);
        return parent.child("Call", "t.Hold", "1.0.0", d -> Map.of("n", 7), (d, result) -> d).build();
    }

    @BeforeEach
    void start() throws Exception {
        MemoryInstanceStore store = new MemoryInstanceStore();
        InProcessWorkSignal signal = new InProcessWorkSignal();
        Instrumentation instrumentation = new Instrumentation();
        runner = WorkflowRunnerService.builder().store(store).eventStore(new net.reactory.workflow.adapter.memory.MemoryEventStore()).workSignal(signal).metrics(instrumentation.metrics())
                .workflows(List.of(hold("1.0.0"), hold("2.0.0"), longParent())).build();
        runner.initialize().get(10, TimeUnit.SECONDS);
        Readiness readiness = new Readiness(runner, new Readiness.StoreProbe("MemoryInstanceStore", () -> store.load("probe")),
                "InProcessWorkSignal", Settings.fromEnvironment(Map.of()), List.of());
        server = new AdminServer(OperatorConfig.from(Map.of("WORKFLOW_HTTP_PORT", "0")), runner, instrumentation, readiness);
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        runner.stop().get(10, TimeUnit.SECONDS);
    }

    private String start(String version, int n) throws Exception {
        JsonNode r = call("POST", "/api/v1/instances", "{\"workflow\":\"t.Hold\",\"version\":\"" + version + "\",\"data\":{\"n\":" + n + "}}", 201);
        String id = r.path("id").asText();
        return id;
    }

    private JsonNode call(String method, String path, String body, int status) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).header("X-Workflow-Caller", "tester");
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody()) : b.method(method, HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("%s %s: %s", method, path, r.body()).isEqualTo(status);
        return json.readTree(r.body());
    }

    private JsonNode awaitWaiting(String id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            JsonNode history = call("GET", "/api/v1/instances/" + id + "/history", null, 200);
            for (JsonNode e : history.path("events")) if (e.path("type").asText().equals("EventAwaited")) return history;
            assertThat(System.nanoTime()).as("instance %s waits for its event in time", id).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    @Test
    void givenASuspendedInstance_whenItsHistoryIsPaged_thenEveryEventOnceOldestFirstWithTheCallerOfTheSuspend() throws Exception {
        String id = start("1.0.0", 1);
        awaitWaiting(id);
        call("POST", "/api/v1/instances/" + id + "/suspend", "{\"reason\":\"look at it\"}", 200);

        List<String> types = new ArrayList<>();
        JsonNode last = null;
        String after = "0";
        while (after != null) {
            JsonNode page = call("GET", "/api/v1/instances/" + id + "/history?limit=1&after=" + after, null, 200);
            page.path("events").forEach(e -> types.add(e.path("type").asText()));
            last = page.path("events").get(page.path("events").size() - 1);
            after = page.path("next").isNull() ? null : page.path("next").asText();
        }
        assertThat(types).containsExactly("WorkflowStarted", "StepCompleted", "EventAwaited", "WorkflowSuspended");
        assertThat(last.path("origin").path("actor").asText()).isEqualTo("tester@127.0.0.1");
        assertThat(last.path("origin").path("entryPoint").asText()).isEqualTo("http");
        assertThat(last.path("detail").asText()).isEqualTo("look at it");
        JsonNode detail = call("GET", "/api/v1/instances/" + id, null, 200);
        assertThat(detail.path("links").path("history").asText()).isEqualTo("/api/v1/instances/" + id + "/history");
        assertThat(detail.path("parent").isNull()).isTrue();
        call("GET", "/api/v1/instances/no-such-instance/history", null, 404);
    }

    @Test
    void givenParentAskingForItsChildAfterMoreThanAPageOfHistory_whenShown_thenTheChildIsLinked() throws Exception {
        String parent = call("POST", "/api/v1/instances", "{\"workflow\":\"t.LongParent\"}", 201).path("id").asText();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        JsonNode detail = call("GET", "/api/v1/instances/" + parent, null, 200);
        while (detail.path("children").isEmpty()) {
            assertThat(System.nanoTime()).as("the child of %s is linked in time: %s", parent, detail.path("children")).isLessThan(deadline);
            Thread.onSpinWait();
            detail = call("GET", "/api/v1/instances/" + parent, null, 200);
        }
        String child = detail.path("children").get(0).asText();
        assertThat(detail.path("children")).hasSize(1);
        assertThat(call("GET", "/api/v1/instances/" + child, null, 200).path("parent").asText()).isEqualTo(parent);
    }

    @Test
    void givenInstancesOfTwoVersions_whenListedWithCursorsCountedAndFiltered_thenEachOnceAndOnlyTheMatches() throws Exception {
        Set<String> v1 = new HashSet<>();
        for (int n = 0; n < 7; n++) v1.add(start("1.0.0", n));
        String v2 = start("2.0.0", 99);

        Set<String> seen = new HashSet<>();
        String after = null;
        int pages = 0;
        do {
            JsonNode page = call("GET", "/api/v1/instances?definition=t.Hold&version=1.0.0&sort=-createdAt&limit=3" + (after == null ? "" : "&after=" + after), null, 200);
            page.path("items").forEach(i -> assertThat(seen.add(i.path("id").asText())).as("seen once").isTrue());
            after = page.path("next").isNull() ? null : page.path("next").asText();
            pages++;
        } while (after != null);
        assertThat(seen).isEqualTo(v1);
        assertThat(pages).isEqualTo(3);

        JsonNode byText = call("GET", "/api/v1/instances?q=99", null, 200);
        assertThat(byText.path("items").findValues("id").stream().map(JsonNode::asText)).containsExactly(v2);
        JsonNode counts = call("GET", "/api/v1/instances/counts?definition=t.Hold&version=2.0.0", null, 200);
        assertThat(counts.path("RUNNABLE").asLong()).isEqualTo(1);
        assertThat(counts.path("FAILED").asLong()).isZero();
        assertThat(call("GET", "/api/v1/instances?version=1.0.0", null, 422).path("error").path("message").asText()).contains("definition");
        call("GET", "/api/v1/instances?after=not-a-cursor", null, 422);
    }

    @Test
    void givenASelectionWithAFinishedAndAnUnknownInstance_whenBulkTerminated_thenTheRestAreDoneAndTheseTwoReported() throws Exception {
        String a = start("1.0.0", 1);
        String b = start("1.0.0", 2);
        String done = start("1.0.0", 3);
        call("POST", "/api/v1/instances/" + done + "/terminate", "{}", 200);
        String ids = "[\"" + a + "\",\"" + b + "\",\"" + done + "\",\"unknown-1\"]";

        JsonNode preview = call("POST", "/api/v1/instances/bulk", "{\"action\":\"suspend\",\"ids\":" + ids + ",\"preview\":true}", 200);
        assertThat(preview.path("matched").asInt()).isEqualTo(4);
        assertThat(call("GET", "/api/v1/instances/" + a, null, 200).path("status").asText()).as("a preview changes nothing").isEqualTo("RUNNABLE");

        JsonNode result = call("POST", "/api/v1/instances/bulk", "{\"action\":\"suspend\",\"ids\":" + ids + ",\"reason\":\"batch\"}", 200);

        assertThat(result.path("done").asInt()).isEqualTo(2);
        assertThat(result.path("refused").findValues("id").stream().map(JsonNode::asText)).containsExactlyInAnyOrder(done, "unknown-1");
        assertThat(result.path("refused").findValues("code").stream().map(JsonNode::asText)).containsExactlyInAnyOrder("conflict", "not_found");
        assertThat(call("GET", "/api/v1/instances/" + b, null, 200).path("status").asText()).isEqualTo("SUSPENDED");

        JsonNode byFilter = call("POST", "/api/v1/instances/bulk",
                "{\"action\":\"resume\",\"filter\":{\"definition\":\"t.Hold\",\"status\":\"SUSPENDED\"},\"preview\":true}", 200);
        assertThat(byFilter.path("matched").asInt()).isEqualTo(2);
        call("POST", "/api/v1/instances/bulk", "{\"action\":\"explode\",\"ids\":[]}", 422);
    }
}
