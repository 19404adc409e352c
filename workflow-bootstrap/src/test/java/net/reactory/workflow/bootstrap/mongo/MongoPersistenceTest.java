package net.reactory.workflow.bootstrap.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.bson.Document;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import net.reactory.workflow.adapter.mongo.Blocking;
import net.reactory.workflow.adapter.mongo.MongoAuditLog;
import net.reactory.workflow.adapter.mongo.MongoEventStore;
import net.reactory.workflow.adapter.mongo.MongoInstanceStore;
import net.reactory.workflow.adapter.mongo.MongoOutbox;
import net.reactory.workflow.adapter.mongo.MongoWorkSignal;
import net.reactory.workflow.application.port.out.AuditLog;
import net.reactory.workflow.application.port.out.EventStore;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.port.out.WorkSignal;
import net.reactory.workflow.bootstrap.Daemon;
import net.reactory.workflow.bootstrap.Settings;
import net.reactory.workflow.bootstrap.http.Readiness;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/** Acceptance 5 and the daemon on MongoDB: MONGOOSE selects MongoDB; unreachable, the fallback decides. */
class MongoPersistenceTest {

    private static final String PASSWORD = "s3cr3t-Pa55word";

    private Daemon daemon;
    private MongoServer server;

    @AfterEach
    void tearDown() throws Exception {
        if (daemon != null) daemon.stop();
        if (server != null) server.shutdownNow();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Settings settings(String... keyValues) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) env.put(keyValues[i], keyValues[i + 1]);
        return Settings.fromEnvironment(env);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> component(Map<String, Object> report, String name) {
        return (Map<String, Object>) ((Map<String, Object>) report.get("components")).get(name);
    }

    private static WorkflowInstance runStartupWorkflow(Daemon daemon) {
        String id = daemon.runner().startWorkflow("reactory.Startup", "1.0.0", Map.of("when", "test")).join();
        return daemon.runner().awaitFinished(id).orTimeout(30, TimeUnit.SECONDS).join();
    }

    @Test
    void givenUnreachableMongoAndFallbackMemory_whenDaemonStarts_thenReadinessDegradedAndWorkflowsRunOnMemory() throws Exception {
        int port = closedPort();
        PrintStream originalErr = System.err;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        try {
            daemon = Daemon.create(settings("MONGOOSE", "mongodb://alice:" + PASSWORD + "@127.0.0.1:" + port + "/orders",
                    "WORKFLOW_PERSISTENCE_FALLBACK", "memory", "WORKFLOW_PERSISTENCE_RETRY", "PT1S"));
            daemon.start();
        } finally {
            System.setErr(originalErr);
        }

        WorkflowInstance done = runStartupWorkflow(daemon);

        assertThat(done.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(daemon.instance(InstanceStore.class)).isInstanceOf(FallbackInstanceStore.class);
        assertThat(((FallbackInstanceStore) daemon.instance(InstanceStore.class)).readinessName()).isEqualTo("memory-fallback");
        Map<String, Object> report = daemon.instance(Readiness.class).report();
        assertThat(report.get("status")).isEqualTo("DEGRADED");
        assertThat(component(report, "persistence").get("status")).isEqualTo("DEGRADED");
        assertThat((String) component(report, "persistence").get("detail")).contains("127.0.0.1:" + port).contains("database orders")
                .doesNotContain(PASSWORD);
        String logged = logs.toString(StandardCharsets.UTF_8);
        assertThat(logged).contains("DEGRADED").contains("127.0.0.1:" + port).doesNotContain(PASSWORD);
    }

    @Test
    void givenMongoRefusingTheCredentials_whenDaemonCreated_thenAConfigurationErrorNotAFallbackToMemory() {
        server = new MongoServer(new MemoryBackend());
        int port = server.bind().getPort();
        long started = System.nanoTime();

        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> Daemon.create(settings(
                "MONGOOSE", "mongodb://alice:" + PASSWORD + "@127.0.0.1:" + port + "/orders",
                "WORKFLOW_PERSISTENCE_FALLBACK", "memory", "WORKFLOW_PERSISTENCE_RETRY", "PT20S")));

        Daemon.StartException why = Daemon.explain(thrown);
        assertThat(why.configuration()).as("exit 2: a restart will not help; %s", why.getMessage()).isTrue();
        assertThat(why.getMessage()).contains("127.0.0.1:" + port).contains("refused the credentials").contains("MONGOOSE")
                .doesNotContain(PASSWORD).doesNotContain("alice");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("not retried as an outage").isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void givenUnreachableMongoAndFallbackFail_whenDaemonCreated_thenRefusedNamingTheHostWithoutThePassword() throws Exception {
        int port = closedPort();

        assertThatThrownBy(() -> Daemon.create(settings("MONGOOSE", "mongodb://alice:" + PASSWORD + "@127.0.0.1:" + port,
                "WORKFLOW_PERSISTENCE_FALLBACK", "fail", "WORKFLOW_PERSISTENCE_RETRY", "500")))
                .isInstanceOf(MongoPersistence.MongoUnavailableException.class)
                .hasMessageContaining("127.0.0.1:" + port)
                .hasMessageContaining("database " + MongoPersistence.DEFAULT_DATABASE)
                .hasMessageContaining("fail")
                .hasMessageNotContaining(PASSWORD);
    }

    @Test
    void givenUnreachableMongoAndFallbackFail_whenDaemonProcessRuns_thenExitsNonZeroWithMessageNamingHostNotPassword() throws Exception {
        int port = closedPort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "net.reactory.workflow.bootstrap.Main", "run").redirectErrorStream(true);
        builder.environment().put("MONGOOSE", "mongodb://alice:" + PASSWORD + "@127.0.0.1:" + port + "/orders");
        builder.environment().put("WORKFLOW_PERSISTENCE_FALLBACK", "fail");
        builder.environment().put("WORKFLOW_PERSISTENCE_RETRY", "PT1S");
        builder.environment().put("WORKFLOW_HTTP_PORT", "0");
        builder.environment().remove("WORKFLOW_AMQP_URI");
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        boolean exited = process.waitFor(60, TimeUnit.SECONDS);

        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(exited).isTrue();
        assertThat(process.exitValue()).as(text).isNotZero();
        assertThat(text).contains("127.0.0.1:" + port).contains("WORKFLOW_PERSISTENCE_FALLBACK=fail").doesNotContain(PASSWORD);
    }

    @Test
    void givenReachableMongo_whenDaemonStarts_thenInstancesAndAuditAreStoredInMongoAndReadinessUp() throws Exception {
        server = new MongoServer(new MemoryBackend());
        int port = server.bind().getPort();
        daemon = Daemon.create(settings("MONGOOSE", "mongodb://127.0.0.1:" + port, "WORKFLOW_MONGO_DB", "daemon-test"));
        daemon.start();

        WorkflowInstance done = runStartupWorkflow(daemon);

        assertThat(done.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(daemon.instance(InstanceStore.class)).isInstanceOf(MongoInstanceStore.class);
        assertThat(daemon.instance(AuditLog.class)).isInstanceOf(MongoAuditLog.class);
        assertThat(daemon.instance(WorkSignal.class)).isInstanceOf(MongoWorkSignal.class);
        assertThat(daemon.instance(EventStore.class)).isInstanceOf(MongoEventStore.class);
        try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + port)) {
            MongoInstanceStore other = new MongoInstanceStore(client.getDatabase("daemon-test"));
            assertThat(other.load(done.id())).hasValueSatisfying(i -> assertThat(i.status()).isEqualTo(WorkflowStatus.COMPLETE));
            assertThat(new MongoAuditLog(client.getDatabase("daemon-test")).recent(10)).extracting(e -> e.command()).contains("start");
            // The runner's publishing acknowledged the outbox entries: the flush empties them, no relay needed.
            MongoCollection<Document> raw = client.getDatabase("daemon-test").getCollection(MongoInstanceStore.COLLECTION);
            await().atMost(15, TimeUnit.SECONDS).until(() -> pendingOutboxes(raw) == 0);
            assertThat(new MongoOutbox(other, events -> { }).pendingEvents(Duration.ZERO, 100)).isEmpty();
        }
        Map<String, Object> report = daemon.instance(Readiness.class).report();
        assertThat(component(report, "persistence").get("status")).isEqualTo("UP");
        assertThat(component(report, "store").get("status")).isEqualTo("UP");
    }

    private static long pendingOutboxes(MongoCollection<Document> raw) throws Exception {
        return Blocking.all(raw.countDocuments(new Document("outbox", new Document("$exists", true).append("$ne", new Document()))),
                Duration.ofSeconds(10)).get(0);
    }

    @Test
    void givenUnknownFallbackWord_whenSettingsRead_thenRefusedNamingTheKey() {
        assertThatThrownBy(() -> settings("WORKFLOW_PERSISTENCE_FALLBACK", "maybe"))
                .hasMessageContaining("WORKFLOW_PERSISTENCE_FALLBACK").hasMessageContaining("memory, fail");
        assertThat(settings().persistenceFallback()).isEqualTo(Settings.PersistenceFallback.MEMORY);
        assertThat(settings().persistenceRetry()).isEqualTo(Duration.ofSeconds(30));
        assertThat(List.of(settings("WORKFLOW_PERSISTENCE_FALLBACK", "FAIL").persistenceFallback())).containsExactly(Settings.PersistenceFallback.FAIL);
    }
}
