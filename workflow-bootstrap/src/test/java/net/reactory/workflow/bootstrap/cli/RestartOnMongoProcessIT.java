package net.reactory.workflow.bootstrap.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import net.reactory.workflow.bootstrap.http.DaemonProcess;
import net.reactory.workflow.bootstrap.plugins.TestPlugins;

/**
 * Acceptance 6: SIGTERM while 1,000 workflows are started and run on MongoDB, exit 0, and a daemon started again
 * on the same store completes every instance the first one accepted. The MongoDB is a wire-protocol server in
 * this test's JVM, so it outlives both daemon processes.
 */
class RestartOnMongoProcessIT {

    @Test
    void givenThousandWorkflowsOnMongo_whenSigtermAndRestart_thenExitZeroAndEveryAcceptedInstanceCompletes(@TempDir Path work) throws Exception {
        MongoServer mongo = new MongoServer(new MemoryBackend());
        InetSocketAddress address = mongo.bind();
        try {
            Path plugins = Files.createDirectories(work.resolve("plugins"));
            Files.copy(TestPlugins.goodJar(work, "slow-plugin.jar"), plugins.resolve("slow-plugin.jar"));
            Map<String, String> env = Map.of("MONGOOSE", "mongodb://127.0.0.1:" + address.getPort() + "/restart-it",
                    "WORKFLOW_PLUGINS_DIR", plugins.toString(), "WORKFLOW_HTTP_PORT", "0", "WORKFLOW_PERSISTENCE_FALLBACK", "fail");

            Set<String> accepted = ConcurrentHashMap.newKeySet();
            DaemonProcess first = DaemonProcess.launch(work, env).awaitReady();
            try (first; ExecutorService clients = Executors.newFixedThreadPool(8)) {
                assertThat(first.get("/health/ready").json().path("components").path("store").path("detail").asText()).doesNotContain("Memory");
                List<CompletableFuture<Void>> starts = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    starts.add(CompletableFuture.runAsync(() -> {
                        try {
                            DaemonProcess.Reply r = first.post("/api/v1/instances", "{\"workflow\":\"test.Slow\"}");
                            if (r.status() == 201) accepted.add(r.json().path("id").asText());
                        } catch (Exception stopped) {
                            // The daemon stopped listening: this start was not accepted.
                        }
                    }, clients));
                }
                CompletableFuture.allOf(starts.subList(0, 400).toArray(CompletableFuture[]::new)).join();
                String metrics = first.get("/metrics").body();
                Matcher inflight = Pattern.compile("(?m)^workflow_instances_inflight (\\d+)").matcher(metrics);
                assertThat(inflight.find() && Double.parseDouble(inflight.group(1)) > 0).as("work in flight when SIGTERM comes:%n%s", metrics).isTrue();
                System.out.println("restart test: " + inflight.group(1) + " instances in flight at SIGTERM");

                assertThat(first.terminate(Duration.ofSeconds(5))).as("exit status after SIGTERM").isZero();
                CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
            }
            assertThat(accepted.size()).as("starts accepted before the stop").isGreaterThanOrEqualTo(400);
            System.out.println("restart test: " + accepted.size() + " of 1000 starts accepted before the daemon stopped");
            long restarted = System.nanoTime();

            try (DaemonProcess second = DaemonProcess.launch(work, env).awaitReady()) {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    int complete = 0;
                    Integer offset = 0;
                    while (offset != null) {
                        JsonNode page = second.get("/api/v1/instances?definition=test.Slow&status=COMPLETE&limit=1000&offset=" + offset).json();
                        for (JsonNode item : page.path("items")) if (accepted.contains(item.path("id").asText())) complete++;
                        offset = page.path("nextOffset").isNull() ? null : page.path("nextOffset").asInt();
                    }
                    assertThat(complete).as("accepted instances complete after the restart").isEqualTo(accepted.size());
                });
                System.out.println("restart test: all " + accepted.size() + " complete " + (System.nanoTime() - restarted) / 1_000_000 + " ms after the restart began");
                assertThat(second.terminate(Duration.ofSeconds(5))).isZero();
            }
        } finally {
            mongo.shutdownNow();
        }
    }

    @Test
    void givenDaemonOnMongo_whenMongoGoesAway_thenStartsGet503AndReadinessIsDownWhileLivenessStaysUp(@TempDir Path work) throws Exception {
        MongoServer mongo = new MongoServer(new MemoryBackend());
        InetSocketAddress address = mongo.bind();
        Map<String, String> env = Map.of("MONGOOSE", "mongodb://127.0.0.1:" + address.getPort() + "/down-it?serverSelectionTimeoutMS=500",
                "WORKFLOW_HTTP_PORT", "0", "WORKFLOW_PERSISTENCE_FALLBACK", "fail");
        try (DaemonProcess daemon = DaemonProcess.launch(work, env).awaitReady()) {
            mongo.shutdownNow();

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                DaemonProcess.Reply start = daemon.post("/api/v1/instances", "{\"workflow\":\"reactory.Startup\"}");
                assertThat(start.status()).as(start.body()).isEqualTo(503);
                assertThat(start.code()).isEqualTo("unavailable");
            });
            DaemonProcess.Reply ready = daemon.get("/health/ready");
            assertThat(ready.status()).as(ready.body()).isEqualTo(503);
            assertThat(ready.json().path("status").asText()).isEqualTo("DOWN");
            assertThat(daemon.get("/health/live").status()).isEqualTo(200);
        } finally {
            mongo.shutdownNow();
        }
    }
}
