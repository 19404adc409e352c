package net.reactory.workflow.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The README's daemon command and every line of its CLI block, run as written from the root of the clone with
 * {@code bash}, against the jar this build made. Only the port differs (any free one, so that parallel builds do not
 * collide), and the CLI finds the daemon through {@code WORKFLOW_URL}, as the README says it may.
 */
class ReadmeCliIT {

    private static final Path ROOT = ReadmeExampleTest.ROOT;
    private static final String JAR = "workflow-bootstrap/target/workflow-runner.jar";
    private static final Pattern LISTENING = Pattern.compile("admin API listening on (http://[^\\s]+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The part of the README's first command that runs the daemon: what follows the build. */
    static String daemonCommand(String readme) {
        Matcher block = Pattern.compile("## Two commands\\n.*?```sh\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(block.find()).as("README has the two commands").isTrue();
        String line = block.group(1).lines().filter(l -> l.contains(JAR)).findFirst().orElseThrow();
        String[] parts = line.split(" && ");
        return parts[parts.length - 1].trim();
    }

    /** Every command line of the CLI section's sh block. */
    static List<String> cliLines(String readme) {
        Matcher block = Pattern.compile("\\n## CLI\\n.*?```sh\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(block.find()).as("README's CLI section has an sh block").isTrue();
        return block.group(1).lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    @Test
    void givenTheReadmesDaemon_whenEveryCliLineOfTheReadmeRuns_thenEachSucceedsAndTheOrderIsPaid(@TempDir Path work) throws Exception {
        String readme = ReadmeExampleTest.readme();
        String daemon = daemonCommand(readme);
        List<String> lines = cliLines(readme);
        assertThat(daemon).contains("WORKFLOW_DEFINITIONS_DIR=examples/definitions", "java -jar " + JAR);
        assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l).contains("java -jar " + JAR + " "));
        assertThat(String.join("\n", lines)).contains("start demo.Order --data '{\"order\":\"o-1\"}'", "publish-event paid o-1");
        assertThat(ROOT.resolve(JAR)).as("the shaded jar: run mvn package first").exists();

        Path daemonLog = work.resolve("daemon.log");
        // A single simple command: bash runs it in its own process, so the daemon is the process SIGTERM reaches.
        ProcessBuilder launch = bash(List.of("-c", daemon)).redirectErrorStream(true).redirectOutput(daemonLog.toFile());
        launch.environment().put("WORKFLOW_HTTP_PORT", "0");
        Process process = launch.start();
        try {
            String url = awaitListening(process, daemonLog);

            Path script = work.resolve("cli.sh");
            Files.writeString(script, "set -euo pipefail\nset -x\n" + String.join("\n", lines) + "\n");
            ProcessBuilder cli = bash(List.of(script.toString())).redirectOutput(work.resolve("cli.out").toFile())
                    .redirectError(work.resolve("cli.err").toFile());
            cli.environment().put("WORKFLOW_URL", url);
            // Each line is a short-lived JVM: the C1 compiler alone starts them faster, which is all this test needs.
            cli.environment().put("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1");
            Process run = cli.start();
            assertThat(run.waitFor(4, TimeUnit.MINUTES)).as("the CLI block ends").isTrue();
            String out = Files.readString(work.resolve("cli.out"));
            String err = Files.readString(work.resolve("cli.err"));

            assertThat(run.exitValue()).as("the CLI block as written; stderr (each line traced):%n%s%nstdout:%n%s%ndaemon:%n%s", err, out,
                    Files.readString(daemonLog)).isZero();
            assertThat(err.lines().filter(l -> l.matches("^\\++ java -jar .*"))).as("every line ran").hasSize(lines.size());
            assertThat(out).contains("demo.Order@1.0.0", "demo.Greet@1.0.0", " SUSPENDED", "published paid o-1", " COMPLETE", " TERMINATED");

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonNode paid = JSON.readTree(get(url, "/api/v1/instances?definition=demo.Order&status=COMPLETE")).path("items");
                assertThat(paid).as("o-1 completed after its payment").hasSize(1);
                JsonNode instance = JSON.readTree(get(url, "/api/v1/instances/" + paid.get(0).path("id").asText()));
                assertThat(instance.path("reference").asText()).isEqualTo("r-1");
                assertThat(instance.path("data").path("payment").path("amount").asInt()).isEqualTo(3);
            });
        } finally {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        }
        assertThat(process.exitValue()).as("SIGTERM stops the daemon cleanly").isZero();
    }

    /** bash at the root of the clone, with this JDK first on the PATH and no WORKFLOW_ setting of the machine's. */
    private static ProcessBuilder bash(List<String> args) {
        ProcessBuilder builder = new ProcessBuilder(concat("bash", args)).directory(ROOT.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.equals("MONGOOSE") || k.startsWith("WORKFLOW_"));
        env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + java.io.File.pathSeparator + env.getOrDefault("PATH", ""));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        return builder;
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new java.util.ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }

    private static String awaitListening(Process process, Path log) {
        String[] url = new String[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .failFast("the daemon exited", () -> !process.isAlive()).untilAsserted(() -> {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            Matcher m = LISTENING.matcher(text);
            assertThat(m.find()).as("listening line in:%n%s", text).isTrue();
            url[0] = m.group(1);
            assertThat(text).as("every example definition loads").contains("loaded from examples/definitions, 0 refused");
        });
        return url[0];
    }

    private static String get(String url, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
        return r.body();
    }
}
