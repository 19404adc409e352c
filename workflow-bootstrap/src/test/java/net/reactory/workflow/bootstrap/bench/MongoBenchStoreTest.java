package net.reactory.workflow.bootstrap.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import net.reactory.workflow.adapter.mongo.Blocking;

/** {@code bench --store mongo} on a wire server: the run ends well and takes its database off the server. */
class MongoBenchStoreTest {

    private MongoServer server;
    private String uri;

    @BeforeEach
    void startServer() {
        server = new MongoServer(new MemoryBackend());
        InetSocketAddress address = server.bind();
        uri = "mongodb://127.0.0.1:" + address.getPort();
    }

    @AfterEach
    void stopServer() {
        server.shutdownNow();
    }

    @Test
    void givenAMongoBench_whenItEnds_thenItsDatabaseIsNoLongerOnTheServer() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int exit;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            exit = BenchCommand.run(new String[] {"--workload", "w3", "--store", "mongo", "--mongo-uri", uri, "--instances", "50",
                    "--warmup", "10", "--concurrency", "10"});
        } finally {
            System.setOut(stdout);
        }
        assertThat(exit).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"store\":\"mongo\"").contains("\"failed\":0");
        assertThat(databaseNames()).noneMatch(name -> name.startsWith("workflow-bench"));
    }

    private List<String> databaseNames() throws Exception {
        try (MongoClient client = MongoClients.create(uri)) {
            return Blocking.all(client.listDatabaseNames(), Duration.ofSeconds(10));
        }
    }
}
