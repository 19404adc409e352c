package net.reactory.workflow.bootstrap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import net.reactory.workflow.bootstrap.http.DaemonProcess;

/** A plain start of the jar says what it does and nothing else: no JVM warnings about its dependencies. */
class QuietStartProcessIT {

    @Test
    void givenTheJarOnThisJdk_whenTheDaemonStartsAndStops_thenNoSunMiscUnsafeWarningIsPrinted(@TempDir Path work) throws Exception {
        try (DaemonProcess daemon = DaemonProcess.launch(work, Map.of("WORKFLOW_HTTP_PORT", "0"), "run").awaitReady()) {
            assertThat(daemon.terminate(Duration.ofSeconds(10))).isZero();
            // JDK 24+ prints the warning once, for the first caller: Guava's futures (Guava < 33.4.8) or Guice's class generation.
            assertThat(daemon.log()).doesNotContain("sun.misc.Unsafe").doesNotContain("WARNING:");
            assertThat(daemon.log().lines().filter(l -> l.contains("[WARN]") || l.contains("[ERROR]")))
                    .as("warnings or errors in a plain start").isEmpty();
        }
    }
}
