package net.reactory.workflow.bootstrap.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import net.reactory.workflow.adapter.memory.InProcessWorkSignal;
import net.reactory.workflow.adapter.memory.MemoryEventStore;
import net.reactory.workflow.adapter.memory.MemoryInstanceStore;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.bootstrap.DefaultWorkflows;
import net.reactory.workflow.bootstrap.Settings;
import net.reactory.workflow.bootstrap.config.OperatorConfig;
import net.reactory.workflow.bootstrap.metrics.Instrumentation;

/**
 * Issue 14, point 11: requests the HTTP layer itself refuses, before any resource sees them, written byte for byte on a
 * socket. Each answer must still be the admin API's {@code {"error":{"status","code","message"}}} as JSON, never the
 * server library's own page.
 */
class WireErrorsTest {

    private static final String TOKEN = "wire-errors-token";
    private static final String AUTH = "Authorization: Bearer " + TOKEN + "\r\n";

    private final ObjectMapper json = new ObjectMapper();
    private WorkflowRunnerService runner;
    private AdminServer server;

    @BeforeEach
    void start() throws Exception {
        Instrumentation instrumentation = new Instrumentation();
        MemoryInstanceStore store = new MemoryInstanceStore();
        runner = WorkflowRunnerService.builder().store(instrumentation.store(store)).eventStore(new MemoryEventStore())
                .workSignal(new InProcessWorkSignal()).metrics(instrumentation.metrics()).workflows(DefaultWorkflows.all()).build();
        runner.initialize().get(10, TimeUnit.SECONDS);
        Readiness.StoreProbe probe = new Readiness.StoreProbe("memory", () -> store.load("readiness-probe"));
        Readiness readiness = new Readiness(runner, probe, "in-process", Settings.fromEnvironment(Map.of()), List.of());
        server = new AdminServer(OperatorConfig.from(Map.of("WORKFLOW_HTTP_PORT", "0", "WORKFLOW_ADMIN_TOKEN", TOKEN)),
                runner, instrumentation, readiness);
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        runner.stop().get(10, TimeUnit.SECONDS);
    }

    /** The six inputs of point 11, each with the status and code it must get. */
    static Stream<Arguments> pointEleven() {
        return Stream.of(
                Arguments.of("a malformed escape %zz", "GET /api/v1/definitions/%zz HTTP/1.1\r\nHost: a\r\n" + AUTH + "\r\n", 400, "bad_request"),
                Arguments.of("a bare %", "GET /api/v1/definitions/% HTTP/1.1\r\nHost: a\r\n" + AUTH + "\r\n", 400, "bad_request"),
                Arguments.of("a raw {", "GET /api/v1/{ HTTP/1.1\r\nHost: a\r\n" + AUTH + "\r\n", 400, "bad_request"),
                Arguments.of("Content-Length: -1", "POST /api/v1/instances HTTP/1.1\r\nHost: a\r\n" + AUTH
                        + "Content-Type: application/json\r\nContent-Length: -1\r\n\r\n{}", 400, "bad_request"),
                Arguments.of("* as the target", "GET * HTTP/1.1\r\nHost: a\r\n" + AUTH + "\r\n", 400, "bad_request"),
                Arguments.of("Transfer-Encoding: gzip, chunked", "POST /api/v1/instances HTTP/1.1\r\nHost: a\r\n" + AUTH
                        + "Content-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n", 501, "not_implemented"));
    }

    /** What else the HTTP parser refuses on its own: each gets the same shape. */
    static Stream<Arguments> parserRejections() {
        return Stream.of(
                Arguments.of("OPTIONS *", "OPTIONS * HTTP/1.1\r\nHost: a\r\n" + AUTH + "\r\n", 400, "bad_request"),
                Arguments.of("an encoded slash", "GET /api/v1/instances/a%2Fb HTTP/1.1\r\nHost: a\r\n" + AUTH + "\r\n", 400, "bad_request"),
                Arguments.of("an empty segment", "GET /api/v1//instances HTTP/1.1\r\nHost: a\r\n" + AUTH + "\r\n", 400, "bad_request"),
                Arguments.of("no Host header", "GET /health/live HTTP/1.1\r\n\r\n", 400, "bad_request"),
                Arguments.of("an unknown HTTP version", "GET /health/live HTTP/7.1\r\nHost: a\r\n\r\n", 505, "http_version_not_supported"),
                Arguments.of("a target too long", "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: a\r\n\r\n", 414, "uri_too_long"),
                Arguments.of("headers too large", "GET /health/live HTTP/1.1\r\nHost: a\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n",
                        431, "request_header_fields_too_large"),
                Arguments.of("a malformed header line", "GET /health/live HTTP/1.1\r\nHost: a\r\nno colon here\r\n\r\n", 400, "bad_request"),
                Arguments.of("a bad chunk size", "POST /api/v1/instances HTTP/1.1\r\nHost: a\r\n" + AUTH
                        + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", 400, "bad_request"),
                Arguments.of("two Content-Lengths", "POST /api/v1/instances HTTP/1.1\r\nHost: a\r\n" + AUTH
                        + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}", 400, "bad_request"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pointEleven")
    void givenARequestTheHttpLayerRefuses_whenSent_thenTheAnswerIsTheJsonErrorShape(String what, String request, int status, String code)
            throws Exception {
        assertJsonError(RawHttp.send(server.port(), request), status, code);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parserRejections")
    void givenOtherMessagesTheParserRefuses_whenSent_thenTheAnswerIsTheJsonErrorShape(String what, String request, int status, String code)
            throws Exception {
        assertJsonError(RawHttp.send(server.port(), request), status, code);
    }

    @Test
    void givenAWellFormedRequest_whenSentRaw_thenItIsAnsweredByTheApiAsBefore() throws Exception {
        RawHttp.Answer live = RawHttp.send(server.port(), "GET /health/live HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        assertThat(live.status()).isEqualTo(200);
        assertThat(live.header("Content-Type")).startsWith("application/json");

        RawHttp.Answer css = RawHttp.send(server.port(), "GET /ui/app.css HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        RawHttp.Answer head = RawHttp.send(server.port(), "HEAD /ui/app.css HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Length")).isEqualTo(css.header("Content-Length")).isNotEqualTo("0");
        assertThat(head.header("Content-Security-Policy")).isEqualTo(DashboardAssets.CONTENT_SECURITY_POLICY);
        assertJsonError(RawHttp.send(server.port(), "GET /api/v1/definitions HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"), 401, "unauthorized");
        String first = "{\"workflow\":\"reactory.Startup";
        RawHttp.Answer chunked = RawHttp.send(server.port(), "POST /api/v1/instances HTTP/1.1\r\nHost: a\r\n" + AUTH
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + Integer.toHexString(first.length()) + "\r\n" + first + "\r\n2\r\n\"}\r\n0\r\n\r\n");
        assertThat(chunked.status()).as(chunked.body()).isEqualTo(201);
    }

    private void assertJsonError(RawHttp.Answer answer, int status, String code) throws Exception {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).as(answer.body()).startsWith("application/json");
        JsonNode error = json.readTree(answer.body()).path("error");
        assertThat(error.path("status").asInt()).as(answer.body()).isEqualTo(status);
        assertThat(error.path("code").asText()).as(answer.body()).isEqualTo(code);
        assertThat(error.path("message").asText()).as(answer.body()).isNotBlank();
        assertThat(answer.header("X-Content-Type-Options")).isEqualTo("nosniff");
    }
}
