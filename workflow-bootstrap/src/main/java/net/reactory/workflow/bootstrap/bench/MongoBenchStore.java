package net.reactory.workflow.bootstrap.bench;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoDatabase;

import net.reactory.workflow.adapter.mongo.MongoInstanceStore;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.adapter.mongo.Blocking;
import net.reactory.workflow.adapter.mongo.BsonData;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/**
 * Opens the Mongo store for {@code --store mongo}, in a fresh database so runs do not see each other's instances.
 * Its client counts the commands it sends to the server ({@link #COMMANDS}), the driver's own handshakes and
 * heartbeats left out: that is {@code store_commands_per_wf}, where {@code store_round_trips_per_wf} counts calls of
 * the store port (group commit sends many of those in one command).
 */
final class MongoBenchStore {

    /** Commands sent to the server by the bench's client since the last reset. */
    static final LongAdder COMMANDS = new LongAdder();

    private static final Set<String> DRIVER_OWN = Set.of("hello", "isMaster", "ismaster", "endSessions", "buildInfo", "saslStart",
            "saslContinue", "ping");

    private MongoBenchStore() {
    }

    /**
     * On Mongo, an instance's end is seen from the runner's lifecycle event, not by loading it: a load per instance
     * (what {@code awaitFinished} does) is one more command per workflow on the server and about 15% of the runner's
     * CPU, which the runner itself never spends. {@code w10-data} still loads, to check the data it ends with.
     */
    static boolean endsByEvent(BenchOptions options) {
        return options.store().equals("mongo") && !options.workload().equals("w10-data");
    }

    /** Instances' ends as the runner's lifecycle events tell them: completed, failed or terminated. */
    static final class Ends {
        private final Map<String, CompletableFuture<WorkflowInstance>> waiting = new ConcurrentHashMap<>();

        /** Completes with a stand-in instance carrying only the status it ended in. */
        CompletableFuture<WorkflowInstance> of(String instanceId) {
            return waiting.computeIfAbsent(instanceId, id -> new CompletableFuture<>()).whenComplete((i, e) -> waiting.remove(instanceId));
        }

        void ended(WorkflowEvent event) {
            WorkflowStatus status = switch (event) {
                case WorkflowEvent.WorkflowCompleted c -> WorkflowStatus.COMPLETE;
                case WorkflowEvent.WorkflowFailed f -> WorkflowStatus.FAILED;
                case WorkflowEvent.WorkflowTerminated t -> WorkflowStatus.TERMINATED;
                default -> null;
            };
            if (status == null) return;
            // An instance may end before its starter asks: the future waits for it here either way.
            waiting.computeIfAbsent(event.instanceId(), id -> new CompletableFuture<>()).complete(ended(event, status));
        }

        /** A stand-in for the ended instance: its id, definition and status are what the benchmark looks at. */
        private static WorkflowInstance ended(WorkflowEvent event, WorkflowStatus status) {
            Instant at = Instant.EPOCH;
            return new WorkflowInstance(event.instanceId(), event.definition(), status, null, List.of(), 0, null, event.revision(), null,
                    at, at, at, null, List.of());
        }
    }

    /** The store, the fresh database it lives in and its client, which {@link #drop} lets go of when the run is over. */
    record Opened(InstanceStore store, MongoDatabase database, MongoClient client) {
        /**
         * The wire server keeps every database in its heap: databases left behind make each later run's server slower
         * (its collector has more to walk), and slower for the other engine measured beside this one on the same server.
         */
        void drop() throws Exception {
            try {
                Blocking.all(database.drop(), Duration.ofSeconds(60));
            } finally {
                client.close();
            }
        }
    }

    static Opened open(String uri, int historyLimit) {
        ConnectionString connection = new ConnectionString(uri);
        String database = (connection.getDatabase() != null ? connection.getDatabase() : "workflow-bench") + "-" + System.currentTimeMillis();
        MongoClientSettings settings = MongoClientSettings.builder()
                .applyConnectionString(connection)
                .addCommandListener(new CommandListener() {
                    @Override
                    public void commandStarted(CommandStartedEvent event) {
                        if (!DRIVER_OWN.contains(event.getCommandName())) COMMANDS.increment();
                    }
                })
                .build();
        MongoClient client = MongoClients.create(settings);
        MongoDatabase db = client.getDatabase(database);
        return new Opened(new MongoInstanceStore(db, new BsonData(), MongoInstanceStore.DEFAULT_TIMEOUT, InstantSource.system(), historyLimit).createIndexes(),
                db, client);
    }
}
