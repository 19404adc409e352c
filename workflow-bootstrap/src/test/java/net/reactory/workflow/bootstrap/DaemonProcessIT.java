package net.reactory.workflow.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon as an operator runs it: the shaded jar in its own process, stopped with SIGTERM. */
class DaemonProcessIT {

    @Test
    void givenShadedJar_whenRunOnTheEmbeddedDefault_thenStartupWorkflowCompletesAndSigtermExitsZero(@TempDir Path work) throws Exception {
        Path jar = Path.of("target", "workflow-runner.jar");
        assertThat(jar).exists();
        Path log = work.resolve("daemon.log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.equals("MONGOOSE") || k.startsWith("WORKFLOW_"));
        builder.environment().put("WORKFLOW_HTTP_PORT", "0"); // any free port: the default 8090 may be taken on a build machine
        Process daemon = builder.start();
        try {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                    assertThat(Files.readString(log)).containsPattern("instance \\S+ of reactory\\.Startup@1\\.0\\.0 completed"));
            String output = Files.readString(log);
            assertThat(output).contains("BeforeStartup: startup workflow").contains("AfterStartup: startup workflow");
            assertThat(daemon.isAlive()).as("the daemon keeps running after the startup workflow").isTrue();

            daemon.destroy(); // SIGTERM

            assertThat(daemon.waitFor(5, TimeUnit.SECONDS)).as("exits within 5 s of SIGTERM").isTrue();
            assertThat(daemon.exitValue()).as("exit status; log:%n%s", Files.readString(log)).isZero();
            assertThat(Files.readString(log)).contains("stopped");
        } finally {
            daemon.destroyForcibly();
        }
    }
}
