package net.reactory.workflow.adapter.mongo;

import java.net.InetSocketAddress;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.event.CommandListener;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoDatabase;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * The MongoDB of the tests: a real one when {@code WORKFLOW_TEST_MONGO_URI} is set, else the in-process
 * wire-protocol server, started once per JVM. Each test gets a database of its own.
 */
public final class TestMongo {

    public static final String URI_VARIABLE = "WORKFLOW_TEST_MONGO_URI";

    private static final java.util.Set<String> CREATED = new java.util.LinkedHashSet<>();
    private static MongoServer server;
    private static String uri;
    private static MongoClient client;

    private TestMongo() {
    }

    /** The real server's URI, or null when the tests run on the in-process server. */
    public static String realUri() {
        String value = System.getenv(URI_VARIABLE);
        return value == null || value.isBlank() ? null : value.trim();
    }

    public static synchronized String uri() {
        if (uri == null) {
            if (realUri() != null) {
                uri = realUri();
            } else {
                server = new MongoServer(new MemoryBackend());
                InetSocketAddress address = server.bind();
                uri = "mongodb://127.0.0.1:" + address.getPort();
            }
        }
        return uri;
    }

    public static synchronized MongoClient client() {
        if (client == null) client = newClient(null);
        return client;
    }

    public static MongoClient newClient(CommandListener listener) {
        MongoClientSettings.Builder settings = MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(uri()))
                .applyToClusterSettings(c -> c.serverSelectionTimeout(5, TimeUnit.SECONDS));
        if (listener != null) settings.addCommandListener(listener);
        return MongoClients.create(settings.build());
    }

    /** A database no other test uses. */
    public static MongoDatabase freshDatabase() {
        return client().getDatabase(freshName());
    }

    public static String freshName() {
        String name = "wf-test-" + UUID.randomUUID().toString().substring(0, 8);
        if (realUri() != null) {
            synchronized (CREATED) {
                if (CREATED.isEmpty()) Runtime.getRuntime().addShutdownHook(new Thread(TestMongo::dropCreated, "drop-test-databases"));
                CREATED.add(name);
            }
        }
        return name;
    }

    /** On a real MongoDB, the tests' databases are dropped when the test JVM exits. */
    private static void dropCreated() {
        try (MongoClient dropper = newClient(null)) {
            for (String name : CREATED) {
                try {
                    Blocking.all(dropper.getDatabase(name).drop(), java.time.Duration.ofSeconds(10));
                } catch (RuntimeException e) {
                    System.err.println("could not drop test database " + name + ": " + e);
                }
            }
        }
    }
}
