package net.reactory.workflow.bootstrap.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import net.reactory.workflow.adapter.mongo.MongoAuditLog;
import net.reactory.workflow.adapter.mongo.MongoInstanceStore;
import net.reactory.workflow.application.port.out.AuditEntry;
import net.reactory.workflow.application.port.in.InstanceFilter;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.bootstrap.Daemon;
import net.reactory.workflow.bootstrap.Settings;
import net.reactory.workflow.bootstrap.http.Readiness;
import net.reactory.workflow.bootstrap.metrics.Instrumentation;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;
import net.reactory.workflow.domain.language.WorkflowBuilder;
import net.reactory.workflow.domain.definition.Workflow;

/**
 * Issue 14, point 3 (acceptance): a node started while MongoDB was away holds 500 instances in memory (100 finished,
 * 400 waiting for an event), MongoDB comes up on the port, the node moves everything there and switches; the waits
 * moved go on working, and a node restarted on MongoDB finds and finishes all 500.
 */
class MemoryFallbackHealingTest {

    private static final Workflow WAITING = WorkflowBuilder.define("heal", "Wait", "1.0.0", String.class)
            .startWith("begin", d -> d)
            .waitFor("paid", "paid", d -> d, (d, event) -> d + ":paid")
            .then("end", d -> d)
            .build();

    private final List<Daemon> daemons = new ArrayList<>();
    private MongoServer server;

    @AfterEach
    void tearDown() throws Exception {
        for (Daemon d : daemons) {
            try {
                d.stop();
            } catch (Exception alreadyStopped) {
                // stopped by the test
            }
        }
        if (server != null) server.shutdownNow();
    }

    @Test
    void givenNodeOnMemoryFallbackWith500Instances_whenMongoComesUp_thenAllAreMovedAndNoneLostAfterRestartOnMongo() throws Exception {
        int port = closedPort();
        String uri = "mongodb://127.0.0.1:" + port + "/heal";
        Instrumentation instrumentation = new Instrumentation();
        Daemon first = start(Daemon.create(Settings.fromEnvironment(Map.of("MONGOOSE", uri, "WORKFLOW_PERSISTENCE_FALLBACK", "memory",
                "WORKFLOW_PERSISTENCE_RETRY", "500")), new net.reactory.workflow.bootstrap.plugins.OperatorModule(
                net.reactory.workflow.bootstrap.config.OperatorConfig.defaults(), net.reactory.workflow.bootstrap.plugins.LoadedPlugins.NONE,
                instrumentation)));
        WorkflowRunnerService runner = first.runner();
        runner.registerWorkflow(WAITING);
        List<String> ids = new ArrayList<>();
        List<CompletableFuture<String>> starts = new ArrayList<>();
        for (int i = 0; i < 500; i++) starts.add(runner.startWorkflow("heal.Wait", "1.0.0", "k" + i));
        for (CompletableFuture<String> s : starts) ids.add(s.get(20, TimeUnit.SECONDS));
        InstanceStore store = first.instance(InstanceStore.class);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(healing(store.query(InstanceFilter.all(1000))))
                .as("all 500 waiting for their event").hasSize(500).allMatch(i -> i.pointers().stream().anyMatch(p -> p.isWaiting())));
        for (int i = 0; i < 100; i++) runner.publishEvent("paid", "k" + i, null, null).get(20, TimeUnit.SECONDS);
        for (int i = 0; i < 5; i++) runner.publishEvent("paid", "nobody-" + i, null, null).get(20, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(20)).until(() -> healing(store.query(InstanceFilter.byStatus(WorkflowStatus.COMPLETE, 1000))).size() == 100);

        assertThat((String) storeComponent(first).get("detail")).as("readiness names the fallback").startsWith("memory-fallback");
        assertThat(storeComponent(first).get("status")).isEqualTo("DEGRADED");
        int held = store.query(InstanceFilter.all(10_000)).size(); // the 500 and the built-in startup workflow's instance
        assertThat(held).isEqualTo(501);
        assertThat(instrumentation.scrape()).contains("workflow_store_memory_only_instances " + held + ".0");

        server = new MongoServer(new MemoryBackend());
        server.bind("127.0.0.1", port);

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(storeComponent(first)).containsEntry("status", "UP"));
        assertThat(first.instance(Readiness.class).report()).containsEntry("status", "UP");
        assertThat(instrumentation.scrape()).contains("workflow_store_memory_only_instances 0.0");
        try (MongoClient client = MongoClients.create(uri)) {
            MongoInstanceStore mongo = new MongoInstanceStore(client.getDatabase("heal"));
            List<WorkflowInstance> there = healing(mongo.query(InstanceFilter.all(10_000)));
            assertThat(there).extracting(WorkflowInstance::id).as("every instance in MongoDB, once").containsExactlyInAnyOrderElementsOf(ids);
            assertThat(there.stream().filter(i -> i.status() == WorkflowStatus.COMPLETE)).hasSize(100);
            List<AuditEntry> audit = new MongoAuditLog(client.getDatabase("heal")).recent(10_000);
            assertThat(audit.stream().filter(e -> "start".equals(e.command()) && ids.contains(e.detail()))).as("the audit of the starts, moved")
                    .hasSize(500);
        }

        // The waits moved with the instances: events published now, on MongoDB, reach them.
        for (int i = 100; i < 300; i++) runner.publishEvent("paid", "k" + i, null, null).get(20, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> healing(store.query(InstanceFilter.byStatus(WorkflowStatus.COMPLETE, 1000))).size() == 300);
        first.stop();
        daemons.remove(first);

        Daemon second = start(Daemon.create(Settings.fromEnvironment(Map.of("MONGOOSE", uri, "WORKFLOW_PERSISTENCE_FALLBACK", "fail"))));
        second.runner().registerWorkflow(WAITING);
        for (int i = 300; i < 500; i++) second.runner().publishEvent("paid", "k" + i, null, null).get(20, TimeUnit.SECONDS);
        InstanceStore onMongo = second.instance(InstanceStore.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> healing(onMongo.query(InstanceFilter.byStatus(WorkflowStatus.COMPLETE, 1000))).size() == 500);
        Set<String> complete = new HashSet<>();
        for (WorkflowInstance i : healing(onMongo.query(InstanceFilter.all(10_000)))) {
            if (i.status() == WorkflowStatus.COMPLETE) complete.add(i.id());
            assertThat(i.data()).as("instance %s finished with its own event, once", i.id()).isEqualTo("k" + ids.indexOf(i.id()) + ":paid");
        }
        assertThat(complete).as("all 500 started on memory, finished after the restart on MongoDB").containsExactlyInAnyOrderElementsOf(ids);
    }

    /** The instances of the test's workflow (the built-in startup workflow runs too). */
    private static List<WorkflowInstance> healing(List<WorkflowInstance> all) {
        return all.stream().filter(i -> i.definition().toString().startsWith("heal.Wait")).toList();
    }

    private Daemon start(Daemon daemon) throws Exception {
        daemons.add(daemon);
        daemon.start();
        return daemon;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> storeComponent(Daemon daemon) {
        return (Map<String, Object>) ((Map<String, Object>) daemon.instance(Readiness.class).report().get("components")).get("store");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
