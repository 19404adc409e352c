package net.reactory.workflow.bootstrap.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The shaded jar run as an operator runs it, in its own process, with helpers to talk to it. */
public final class DaemonProcess implements AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("admin API listening on http://([^:\\s]+):(\\d+)");

    public record Reply(int status, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        public String code() {
            return json().path("error").path("code").asText();
        }
    }

    private final Process process;
    private final Path log;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private int port = -1;

    private DaemonProcess(Process process, Path log, String token) {
        this.process = process;
        this.log = log;
        this.token = token;
    }

    public static Path jar() {
        Path jar = Path.of("target", "workflow-runner.jar");
        assertThat(jar).as("the shaded jar: run mvn package first").exists();
        return jar;
    }

    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Starts {@code java -jar workflow-runner.jar ARGS} with a clean environment plus {@code env}. */
    public static DaemonProcess launch(Path work, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx256m", "-jar", jar().toString()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(work, "daemon", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.equals("MONGOOSE") || k.startsWith("WORKFLOW_"));
        builder.environment().putAll(env);
        return new DaemonProcess(builder.start(), log, env.get("WORKFLOW_ADMIN_TOKEN"));
    }

    /** Waits for the admin API's log line and the runner to be ready. */
    public DaemonProcess awaitReady() {
        // A refused or dropped connection while the daemon opens its port is "not ready yet", not a failure: the wait
        // still needs a 200 from /health/ready within its deadline (a ConnectException once ended a chaos run here).
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).ignoreExceptionsInstanceOf(IOException.class).untilAsserted(() -> {
            assertThat(process.isAlive()).as("daemon alive; log:%n%s", log()).isTrue();
            Matcher m = LISTENING.matcher(log());
            assertThat(m.find()).as("listening line").isTrue();
            port = Integer.parseInt(m.group(2));
            assertThat(get("/health/ready").status()).isEqualTo(200);
        });
        return this;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    public Process process() {
        return process;
    }

    public Reply get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url() + path)).GET(), token);
    }

    public Reply post(String path, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), token);
    }

    public Reply send(HttpRequest.Builder request, String bearer) throws IOException, InterruptedException {
        request.header("X-Workflow-Caller", "it-test");
        if (bearer != null) request.header("Authorization", "Bearer " + bearer);
        HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body());
    }

    /** A raw HTTP/1.1 exchange on a socket: any request line, any headers, a body of any size; the connection is closed after. */
    public Reply raw(String requestHead, byte[] body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(requestHead.getBytes(StandardCharsets.ISO_8859_1));
            try {
                if (body != null) out.write(body);
                out.flush();
            } catch (IOException refusedEarly) {
                // The daemon may answer (413) and close before reading a huge body: read what it said.
            }
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("^HTTP/1\\.1 (\\d{3})").matcher(response);
            if (!m.find()) throw new IOException("no status line in: " + response);
            int split = response.indexOf("\r\n\r\n");
            return new Reply(Integer.parseInt(m.group(1)), split < 0 ? "" : response.substring(split + 4));
        }
    }

    /** SIGTERM, then the exit code; fails when the process outlives {@code within}. */
    public int terminate(Duration within) throws InterruptedException {
        process.destroy();
        assertThat(process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)).as("exits within %s of SIGTERM; log:%n%s", within, log()).isTrue();
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    /** Runs a CLI command of the jar to its end; returns exit code, stdout and stderr. */
    public static CliResult cli(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java(), "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-jar", jar().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> k.equals("MONGOOSE") || k.startsWith("WORKFLOW_"));
        builder.environment().putAll(env);
        Process p = builder.start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new CliResult(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    public record CliResult(int exit, String out, String err) {
    }
}
