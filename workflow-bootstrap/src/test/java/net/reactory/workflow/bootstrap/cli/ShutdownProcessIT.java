package net.reactory.workflow.bootstrap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import net.reactory.workflow.bootstrap.http.DaemonProcess;
import net.reactory.workflow.bootstrap.plugins.TestPlugins;

/** SIGTERM while 1,000 workflows are being started and run. */
class ShutdownProcessIT {

    @Test
    void givenThousandWorkflowsInFlight_whenSigterm_thenTheDaemonStopsGracefullyWithExitZeroWithinFiveSeconds(@TempDir Path work) throws Exception {
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        Files.copy(TestPlugins.goodJar(work, "slow-plugin.jar"), plugins.resolve("slow-plugin.jar"));
        DaemonProcess daemon = DaemonProcess.launch(work, Map.of("WORKFLOW_PLUGINS_DIR", plugins.toString(), "WORKFLOW_HTTP_PORT", "0")).awaitReady();
        try (daemon; ExecutorService clients = Executors.newFixedThreadPool(8)) {
            List<CompletableFuture<Integer>> starts = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                starts.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return daemon.post("/api/v1/instances", "{\"workflow\":\"test.Slow\"}").status();
                    } catch (Exception e) {
                        return -1; // the daemon stopped listening: expected once SIGTERM is in
                    }
                }, clients));
            }
            CompletableFuture.allOf(starts.subList(0, 300).toArray(CompletableFuture[]::new)).join();
            int accepted = (int) starts.subList(0, 300).stream().filter(f -> f.join() == 201).count();
            assertThat(accepted).as("the first 300 starts were accepted").isEqualTo(300);
            assertThat(daemon.get("/metrics").body()).containsPattern("workflow_instances_inflight [1-9]");

            int exit = daemon.terminate(Duration.ofSeconds(5));

            assertThat(exit).as("log:%n%s", daemon.log()).isZero();
            assertThat(daemon.log()).contains("stop requested: finishing in-flight steps").contains("stopped");
            CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
            assertThat(starts.stream().map(CompletableFuture::join)).allMatch(s -> s == 201 || s == 503 || s == -1);
        }
    }
}
