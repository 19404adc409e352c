package net.reactory.workflow.bootstrap.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import net.reactory.workflow.bootstrap.plugins.TestPlugins;

/** The admin API of the real jar, in its own process, with a token and a plugin folder. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminApiProcessIT {

    static final String TOKEN = "it-token-0123456789abcdef";

    Path work;
    DaemonProcess daemon;

    @BeforeAll
    void startDaemon(@TempDir Path dir) throws Exception {
        work = dir;
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        Files.copy(TestPlugins.goodJar(work, "good-plugin.jar"), plugins.resolve("good-plugin.jar"));
        TestPlugins.missingClassJar(plugins, "broken-plugin.jar");
        daemon = DaemonProcess.launch(work, Map.of("WORKFLOW_ADMIN_TOKEN", TOKEN, "WORKFLOW_PLUGINS_DIR", plugins.toString(),
                "WORKFLOW_HTTP_PORT", "0")).awaitReady();
    }

    @AfterAll
    void stopDaemon() throws Exception {
        if (daemon != null) {
            assertThat(daemon.terminate(Duration.ofSeconds(5))).isZero();
            assertThat(daemon.log()).as("no secret in any log line").doesNotContain(TOKEN);
            daemon.close();
        }
    }

    @Test
    void givenPluginDefinitions_whenListedAndOneFetched_thenKeysAndTheStepGraphAreShown() throws Exception {
        DaemonProcess.Reply list = daemon.get("/api/v1/definitions");
        assertThat(list.status()).isEqualTo(200);
        List<String> keys = new ArrayList<>();
        list.json().path("items").forEach(d -> keys.add(d.path("key").asText()));
        assertThat(keys).contains("reactory.Startup@1.0.0", "test.Quick@1.0.0", "test.Parked@1.0.0", "test.Validated@1.0.0");

        JsonNode quick = daemon.get("/api/v1/definitions/test.Quick").json();
        assertThat(quick.path("version").asText()).isEqualTo("1.0.0");
        assertThat(quick.path("steps").get(0).path("name").asText()).isEqualTo("A");
        assertThat(quick.path("steps").get(0).path("next").asText()).isEqualTo("B");
        assertThat(quick.path("steps").get(1).path("next").isNull()).isTrue();
        assertThat(daemon.get("/api/v1/definitions/test.Quick@1.0.0").json().path("key").asText()).isEqualTo("test.Quick@1.0.0");
        assertThat(daemon.get("/api/v1/definitions/test.Quick@9.9.9").status()).isEqualTo(404);
    }

    @Test
    void givenPluginWorkflow_whenStartedThroughTheApi_thenItCompletesWithItsHistoryAndTheCallerIsAudited() throws Exception {
        DaemonProcess.Reply started = daemon.post("/api/v1/instances", "{\"workflow\":\"test.Quick\",\"data\":{\"n\":1},\"reference\":\"ref-1\"}");
        assertThat(started.status()).as(started.body()).isEqualTo(201);
        String id = started.json().path("id").asText();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(daemon.get("/api/v1/instances/" + id).json().path("status").asText()).isEqualTo("COMPLETE"));
        JsonNode instance = daemon.get("/api/v1/instances/" + id).json();
        assertThat(instance.path("definition").asText()).isEqualTo("test.Quick@1.0.0");
        assertThat(instance.path("data").path("n").asInt()).isEqualTo(1);
        assertThat(instance.path("reference").asText()).isEqualTo("ref-1");
        assertThat(instance.path("pointers").isArray()).isTrue();
        assertThat(instance.path("errors").size()).isZero();
        List<String> kinds = new ArrayList<>();
        instance.path("history").path("events").forEach(e -> kinds.add(e.path("type").asText()));
        assertThat(kinds).containsExactly("WorkflowStarted", "StepCompleted", "StepCompleted", "WorkflowCompleted");
        assertThat(daemon.log()).contains("start of test.Quick@1.0.0 through the admin API by it-test@127.0.0.1 answered with instance " + id);
        assertThat(instance.path("history").path("source").asText()).contains("kept by the store");
        assertThat(instance.path("links").path("history").asText()).isEqualTo("/api/v1/instances/" + id + "/history");

        DaemonProcess.Reply again = daemon.post("/api/v1/instances", "{\"workflow\":\"test.Quick\",\"reference\":\"ref-1\"}");
        assertThat(again.json().path("id").asText()).as("same reference, same instance").isEqualTo(id);

        JsonNode audit = daemon.get("/api/v1/audit?limit=1000").json();
        assertThat(audit.path("items").findValues("actor").stream().map(JsonNode::asText))
                .contains("it-test@127.0.0.1");
    }

    @Test
    void givenInstanceWaitingForAnEvent_whenTheEventIsPublishedThroughTheApi_thenItResumesAndThePublishIsAudited() throws Exception {
        String id = daemon.post("/api/v1/instances", "{\"workflow\":\"test.Order\",\"data\":{\"order\":\"o-17\"}}").json().path("id").asText();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(daemon.get("/api/v1/instances/" + id).json().path("pointers").get(0).path("waitingFor").path("key").asText()).isEqualTo("o-17"));
        DaemonProcess.Reply published = daemon.post("/api/v1/events", "{\"name\":\"paid\",\"key\":\"o-17\",\"data\":{\"amount\":3}}");
        assertThat(published.status()).as(published.body()).isEqualTo(202);
        assertThat(published.json().path("id").asText()).isNotBlank();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(daemon.get("/api/v1/instances/" + id).json().path("status").asText()).isEqualTo("COMPLETE"));
        JsonNode audit = daemon.get("/api/v1/audit?limit=1000").json();
        List<String> publishes = new ArrayList<>();
        for (JsonNode a : audit.path("items")) {
            if (a.path("command").asText().equals("publishEvent") && a.path("target").asText().equals("paid/o-17")) {
                publishes.add(a.path("actor").asText() + " " + a.path("entryPoint").asText() + " " + a.path("outcome").asText());
            }
        }
        assertThat(publishes).as("publishEvent audited once, with the caller: %s", audit).containsExactly("it-test@127.0.0.1 http accepted");
    }

    @Test
    void givenParkedInstance_whenSuspendedResumedAndTerminated_thenEachStatusIsShownAndEachCommandIsAuditedWithTheCaller() throws Exception {
        String id = daemon.post("/api/v1/instances", "{\"workflow\":\"test.Parked\"}").json().path("id").asText();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(daemon.get("/api/v1/instances/" + id).json().path("pointers").get(0).path("sleepUntil").isNull()).isFalse());
        JsonNode parked = daemon.get("/api/v1/instances/" + id).json();
        assertThat(parked.path("status").asText()).isEqualTo("RUNNABLE");
        assertThat(parked.path("pointers").get(0).path("step").asText()).isEqualTo("Park");

        assertThat(daemon.post("/api/v1/instances/" + id + "/suspend", "{\"reason\":\"maintenance\"}").json().path("status").asText()).isEqualTo("SUSPENDED");
        assertThat(daemon.post("/api/v1/instances/" + id + "/resume", "").json().path("status").asText()).isEqualTo("RUNNABLE");
        assertThat(daemon.post("/api/v1/instances/" + id + "/terminate", "{}").json().path("status").asText()).isEqualTo("TERMINATED");
        DaemonProcess.Reply conflict = daemon.post("/api/v1/instances/" + id + "/resume", "");
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.code()).isEqualTo("conflict");

        JsonNode commands = daemon.get("/api/v1/instances/" + id).json().path("commands");
        List<String> byCaller = new ArrayList<>();
        commands.forEach(c -> {
            if (c.path("actor").asText().equals("it-test@127.0.0.1")) byCaller.add(c.path("command").asText() + ":" + c.path("outcome").asText());
        });
        assertThat(byCaller).contains("suspend:accepted", "resume:accepted", "terminate:accepted", "resume:refused");
    }

    @Test
    void givenInstancesOfTwoDefinitions_whenListedWithFiltersAndPages_thenPagesAreDisjointAndMatchTheFilter() throws Exception {
        Set<String> parked = new HashSet<>();
        for (int i = 0; i < 5; i++) parked.add(daemon.post("/api/v1/instances", "{\"workflow\":\"test.Parked\"}").json().path("id").asText());
        String from = "2000-01-01T00:00:00Z";
        Set<String> seen = new HashSet<>();
        Integer offset = 0;
        int pages = 0;
        while (offset != null) {
            JsonNode page = daemon.get("/api/v1/instances?definition=test.Parked&status=runnable&from=" + from + "&limit=2&offset=" + offset).json();
            for (JsonNode item : page.path("items")) {
                assertThat(item.path("definition").asText()).isEqualTo("test.Parked@1.0.0");
                assertThat(item.path("status").asText()).isEqualTo("RUNNABLE");
                assertThat(seen.add(item.path("id").asText())).as("pages do not overlap").isTrue();
            }
            assertThat(page.path("items").size()).isLessThanOrEqualTo(2);
            offset = page.path("nextOffset").isNull() ? null : page.path("nextOffset").asInt();
            pages++;
        }
        assertThat(seen).containsAll(parked);
        assertThat(pages).isGreaterThanOrEqualTo(3);
        assertThat(daemon.get("/api/v1/instances?definition=test.Parked&to=2000-01-01T00:00:00Z").json().path("items").size()).isZero();
    }

    @Test
    void givenEachCause_whenRequested_thenEachErrorHasItsStatusAndStableCode() throws Exception {
        assertError(daemon.post("/api/v1/instances", "{\"workflow\": "), 400, "bad_request");
        assertError(daemon.send(HttpRequest.newBuilder(URI.create(daemon.url() + "/api/v1/definitions")), null), 401, "unauthorized");
        assertError(daemon.send(HttpRequest.newBuilder(URI.create(daemon.url() + "/api/v1/definitions")), "wrong-token-0123456789"), 401, "unauthorized");
        assertError(daemon.get("/api/v1/instances/3f2504e0-4f89-11d3-9a0c-0305e82c3301"), 404, "not_found");
        assertError(daemon.post("/api/v1/instances", "{\"workflow\":\"test.Missing\"}"), 404, "not_found");
        assertError(daemon.send(HttpRequest.newBuilder(URI.create(daemon.url() + "/api/v1/definitions")).DELETE(), AdminApiProcessIT.TOKEN), 405, "method_not_allowed");
        String id = daemon.post("/api/v1/instances", "{\"workflow\":\"test.Parked\"}").json().path("id").asText();
        daemon.post("/api/v1/instances/" + id + "/terminate", "{}");
        assertError(daemon.post("/api/v1/instances/" + id + "/suspend", "{}"), 409, "conflict");
        byte[] huge = new byte[2 * 1024 * 1024];
        assertError(daemon.raw(head("POST", "/api/v1/instances", huge.length), huge), 413, "payload_too_large");
        assertError(daemon.post("/api/v1/instances", "{\"workflow\":\"test.Validated\",\"data\":{\"name\":5}}"), 422, "invalid_input");
        assertError(daemon.post("/api/v1/instances", "{\"workflow\":42}"), 422, "invalid_input");
        assertError(daemon.get("/api/v1/instances?status=sleeping"), 422, "invalid_input");
        assertError(daemon.get("/api/v1/instances?definition=test.Quick@1.0.0"), 422, "invalid_input");
        assertError(daemon.get("/api/v1/instances?from=yesterday"), 422, "invalid_input");
        assertError(daemon.get("/api/v1/instances?limit=100000"), 422, "invalid_input");
        assertError(daemon.post("/api/v1/events", "{\"name\":\"paid\"}"), 422, "invalid_input");
        assertError(daemon.post("/api/v1/events", "{\"name\":\"paid\",\"key\":\"k\",\"effectiveAt\":\"yesterday\"}"), 422, "invalid_input");
        assertThat(daemon.get("/api/v1/instances/" + id).json().path("status").asText()).isEqualTo("TERMINATED");
    }

    @Test
    void given200MalformedOrHostileRequests_whenSent_thenEachGetsItsErrorAndTheDaemonKeepsServing() throws Exception {
        List<String> brokenJson = List.of("{", "}", "[1,2", "{\"workflow\":}", "nul", "{\"a\":1}{", "\u0000\u0001", "{'workflow':'x'}",
                "{\"workflow\":\"test.Quick\",}", "\"just a string\"");
        List<String> traversal = List.of("/api/v1/instances/..%2f..%2fetc%2fpasswd", "/api/v1/instances/%2e%2e", "/api/v1/definitions/..%5c..%5cwin.ini",
                "/api/v1/instances/a%00b", "/api/v1/instances/%252e%252e%252f", "/api/v1/instances/..;/x", "/api/v1/instances/%zz",
                "/api/v1/definitions/%2e%2e%2f%2e%2e%2f", "/api/v1/instances/x%0d%0aSet-Cookie:%20a=b", "/api/v1/instances/" + "a".repeat(300));
        Map<Integer, Integer> byStatus = new HashMap<>();
        int sent = 0;
        for (int round = 0; round < 4; round++) {
            for (String body : brokenJson) {
                sent++;
                expect(daemon.post("/api/v1/instances", body), 400, byStatus);
            }
            for (String path : traversal) {
                sent++;
                expect(daemon.raw("GET " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN + "\r\nConnection: close\r\n\r\n", null), 400, byStatus);
            }
            for (String method : List.of("DELETE", "PUT", "PATCH", "OPTIONS", "TRACE")) {
                sent++;
                expect(daemon.raw(method + " /api/v1/instances HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
                        + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", null), 405, byStatus);
            }
            for (String auth : List.of("", "Authorization: Bearer\r\n", "Authorization: Bearer wrong\r\n", "Authorization: Basic Zm9vOmJhcg==\r\n",
                    "Authorization: Bearer " + TOKEN + "x\r\n", "Authorization: Bearer " + TOKEN.substring(1) + "\r\n", "Authorization: bearer  \r\n")) {
                for (String path : List.of("/api/v1/definitions", "/metrics", "/health/ready")) {
                    sent++;
                    expect(daemon.raw("GET " + path + " HTTP/1.1\r\nHost: x\r\n" + auth + "Connection: close\r\n\r\n", null), 401, byStatus);
                }
            }
            for (int i = 0; i < 4; i++) {
                byte[] huge = new byte[1_100_000 + i * 500_000];
                sent++;
                expect(daemon.raw(head("POST", "/api/v1/instances", huge.length), huge), 413, byStatus);
            }
            sent++;
            expect(daemon.raw("POST /api/v1/instances HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
                    + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunked(1_200_000), null), 413, byStatus);
        }
        assertThat(sent).isGreaterThanOrEqualTo(200);
        assertThat(byStatus).containsKeys(400, 401, 405, 413);

        assertThat(daemon.process().isAlive()).isTrue();
        assertThat(daemon.get("/health/ready").status()).isEqualTo(200);
        String id = daemon.post("/api/v1/instances", "{\"workflow\":\"test.Quick\"}").json().path("id").asText();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(daemon.get("/api/v1/instances/" + id).json().path("status").asText()).isEqualTo("COMPLETE"));
    }

    @Test
    void givenThousandWorkflows_whenMetricsAreScraped_thenTheCountersMatchWhatHappened() throws Exception {
        Map<String, Double> before = scrape();
        List<String> parked = new ArrayList<>();
        int ok = 0;
        int failing = 0;
        for (int i = 0; i < 1000; i++) {
            String body;
            if (i % 10 == 0) body = "{\"workflow\":\"test.Parked\"}";
            else if (i % 10 <= 2) body = "{\"workflow\":\"test.Quick\",\"data\":{\"fail\":true}}";
            else body = "{\"workflow\":\"test.Quick\",\"data\":{\"fail\":false}}";
            DaemonProcess.Reply r = daemon.post("/api/v1/instances", body);
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            if (i % 10 == 0) parked.add(r.json().path("id").asText());
            else if (i % 10 <= 2) failing++;
            else ok++;
        }
        for (String id : parked) {
            assertThat(daemon.post("/api/v1/instances/" + id + "/terminate", "{\"reason\":\"metrics test\"}").status()).isEqualTo(200);
        }
        int completed = ok;
        int failed = failing;
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            Map<String, Double> now = scrape();
            assertThat(delta(before, now, "workflow_instances_completed_total{definition=\"test.Quick@1.0.0\"}")).isEqualTo(completed);
            assertThat(delta(before, now, "workflow_instances_failed_total{definition=\"test.Quick@1.0.0\"}")).isEqualTo(failed);
        });
        Map<String, Double> after = scrape();
        assertThat(delta(before, after, "workflow_instances_started_total{definition=\"test.Quick@1.0.0\"}")).isEqualTo(ok + failing);
        assertThat(delta(before, after, "workflow_instances_started_total{definition=\"test.Parked@1.0.0\"}")).isEqualTo(parked.size());
        assertThat(delta(before, after, "workflow_instances_terminated_total{definition=\"test.Parked@1.0.0\"}")).isEqualTo(parked.size());
        assertThat(delta(before, after, "workflow_step_duration_seconds_count{definition=\"test.Quick@1.0.0\",outcome=\"ok\",step=\"A\"}"))
                .isEqualTo(ok + failing);
        assertThat(delta(before, after, "workflow_step_duration_seconds_count{definition=\"test.Quick@1.0.0\",outcome=\"ok\",step=\"B\"}"))
                .isEqualTo(ok);
        assertThat(delta(before, after, "workflow_step_duration_seconds_count{definition=\"test.Quick@1.0.0\",outcome=\"failed\",step=\"B\"}"))
                .isGreaterThanOrEqualTo(failing);
        assertThat(after).containsKeys("workflow_leases_claimed_total", "workflow_instances_runnable", "workflow_instances_inflight",
                "workflow_store_calls_seconds_count{operation=\"create\"}", "workflow_broker_calls_seconds_count{operation=\"signal\"}",
                "workflow_breaker_state{breaker=\"store\"}");
        assertThat(delta(before, after, "workflow_store_calls_seconds_count{operation=\"create\"}")).isGreaterThanOrEqualTo(1000);

        Matcher failedLine = Pattern.compile("instance (\\S+) of test\\.Quick@1\\.0\\.0 failed").matcher(daemon.log());
        assertThat(failedLine.find()).as("a failed instance's log line names its id and definition").isTrue();
    }

    @Test
    void givenToken_whenHealthIsAskedWithoutIt_thenLivenessAnswersAndReadinessNeedsTheToken() throws Exception {
        DaemonProcess.Reply live = daemon.send(HttpRequest.newBuilder(URI.create(daemon.url() + "/health/live")), null);
        assertThat(live.status()).isEqualTo(200);
        assertThat(live.json().path("status").asText()).isEqualTo("UP");
        assertThat(daemon.send(HttpRequest.newBuilder(URI.create(daemon.url() + "/health/ready")), null).status()).isEqualTo(401);
        JsonNode ready = daemon.get("/health/ready").json();
        assertThat(ready.path("status").asText()).isEqualTo("UP");
        assertThat(ready.path("components").fieldNames()).toIterable().contains("runner", "store", "broker", "breakers");
        assertThat(daemon.get("/metrics").body()).contains("# TYPE workflow_instances_started_total counter");
    }

    // ---------------------------------------------------------------- helpers

    private static String head(String method, String path, int length) {
        return method + " " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN + "\r\nContent-Type: application/json\r\nContent-Length: "
                + length + "\r\nConnection: close\r\n\r\n";
    }

    private static String chunked(int size) {
        StringBuilder s = new StringBuilder();
        int chunk = 100_000;
        for (int sent = 0; sent < size; sent += chunk) {
            s.append(Integer.toHexString(chunk)).append("\r\n").append("x".repeat(chunk)).append("\r\n");
        }
        return s.append("0\r\n\r\n").toString();
    }

    private static void assertError(DaemonProcess.Reply reply, int status, String code) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.code()).as(reply.body()).isEqualTo(code);
        assertThat(reply.json().path("error").path("status").asInt()).isEqualTo(status);
        assertThat(reply.json().path("error").path("message").asText()).isNotBlank();
    }

    private static void expect(DaemonProcess.Reply reply, int status, Map<Integer, Integer> byStatus) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        byStatus.merge(status, 1, Integer::sum);
    }

    private Map<String, Double> scrape() throws Exception {
        String text = daemon.get("/metrics").body();
        Map<String, Double> values = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) continue;
            int space = line.lastIndexOf(' ');
            values.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return values;
    }

    private static int delta(Map<String, Double> before, Map<String, Double> after, String series) {
        assertThat(after).as("series %s", series).containsKey(series);
        return (int) Math.round(after.get(series) - before.getOrDefault(series, 0.0));
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
