package net.reactory.workflow.bootstrap.mongo;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoSecurityException;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoDatabase;

import net.reactory.workflow.adapter.mongo.MongoAuditLog;
import net.reactory.workflow.adapter.mongo.MongoEventStore;
import net.reactory.workflow.adapter.mongo.Blocking;
import net.reactory.workflow.adapter.mongo.BsonData;
import net.reactory.workflow.adapter.mongo.MongoInstanceStore;
import net.reactory.workflow.adapter.mongo.MongoOutbox;
import net.reactory.workflow.adapter.mongo.MongoWorkSignal;
import net.reactory.workflow.application.port.out.LifecycleEventPublisher;
import net.reactory.workflow.bootstrap.Daemon;
import net.reactory.workflow.bootstrap.Settings;

/**
 * The daemon's MongoDB, or the decision not to use it. {@link #open} connects with {@code MONGOOSE}, retrying with
 * backoff for {@code WORKFLOW_PERSISTENCE_RETRY}; when MongoDB stays unreachable it either fails with a message that
 * names the hosts (never the password) or returns a degraded persistence whose warning is logged every minute while
 * the daemon runs on memory. The connection string itself is never logged: it may carry a password.
 */
public final class MongoPersistence implements AutoCloseable {

    public static final String DEFAULT_DATABASE = "reactory-workflow";
    /** How often a node on the memory fallback pings MongoDB. */
    static final Duration PROBE_PERIOD = Duration.ofSeconds(2);
    private static final String AUTHENTICATION_FAILED = "authentication failed: ";
    static final Duration WARNING_PERIOD = Duration.ofMinutes(1);
    /** Acknowledged outbox entries of instances not saved again go in one bulk write this often. */
    static final Duration OUTBOX_FLUSH = Duration.ofSeconds(1);
    /**
     * The relay looks this often for entries older than the grace: the events of a node killed between its save and
     * its publish reach the broker within grace plus interval. The grace stays above the publisher's confirm timeout
     * (5 s) plus a flush, so that an entry being published normally is not relayed as well.
     */
    static final Duration OUTBOX_RELAY = Duration.ofSeconds(5);
    static final Duration OUTBOX_GRACE = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(MongoPersistence.class);

    private final String where;
    private final MongoClient client;
    private final String databaseName;
    private volatile MongoInstanceStore instances;
    private volatile MongoEventStore events;
    private volatile MongoAuditLog audit;
    private volatile MongoOutbox outbox;
    private volatile MongoWorkSignal workSignal;
    /** Why the daemon runs on memory; null on MongoDB (from the start, or since the move). */
    private volatile String degradedReason;
    /** The stores of a node that started on the memory fallback; null when it started on MongoDB. */
    private final MemoryFallback fallback;
    private final Instant since;
    private final ScheduledExecutorService timer;
    /** Finished instances and delivered events are kept this long, then purged by an hourly sweep. */
    private final Duration retention;
    /** Change events kept per instance (WORKFLOW_HISTORY_LIMIT), in MongoDB and on the memory fallback alike. */
    private final int historyLimit;
    /** This is built before the injector, which binds the same system clock: the adapters get theirs here. */
    private final InstantSource clock = InstantSource.system();
    /** Set by {@link #startOutbox}: a node on the fallback starts its outbox once it moved to MongoDB. */
    private volatile boolean outboxWanted;

    private MongoPersistence(String where, MongoClient client, String databaseName, String degradedReason, Duration retention,
                             Duration memoryRetention, int historyLimit) {
        this.where = where;
        this.retention = retention;
        this.historyLimit = historyLimit;
        this.client = client;
        this.databaseName = databaseName;
        this.degradedReason = degradedReason;
        this.since = Instant.now();
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("mongo-persistence").daemon(true).factory());
        if (degradedReason == null) {
            this.fallback = null;
            prepareStores();
        } else {
            this.fallback = new MemoryFallback(memoryRetention, historyLimit);
            long period = WARNING_PERIOD.toMillis();
            timer.scheduleAtFixedRate(this::warnDegraded, period, period, TimeUnit.MILLISECONDS);
            timer.scheduleWithFixedDelay(this::probeAndMove, PROBE_PERIOD.toMillis(), PROBE_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Builds the MongoDB adapters (creating their indexes) and the hourly purge. */
    private void prepareStores() {
        MongoDatabase database = client.getDatabase(databaseName);
        MongoInstanceStore preparedInstances = new MongoInstanceStore(database, new BsonData(), MongoInstanceStore.DEFAULT_TIMEOUT, clock, historyLimit).createIndexes();
        this.events = new MongoEventStore(database).createIndexes();
        this.audit = new MongoAuditLog(database).createIndexes();
        this.outbox = new MongoOutbox(preparedInstances, relay);
        this.workSignal = new MongoWorkSignal(database, clock).createIndexes();
        this.instances = preparedInstances;
        timer.scheduleWithFixedDelay(this::purgeSafely, 1, 60, TimeUnit.MINUTES);
    }

    /**
     * On the fallback: pings MongoDB once; when it answers, moves what memory holds there and switches to it. A move
     * that fails leaves memory in charge, and the next probe tries again.
     */
    private void probeAndMove() {
        if (degradedReason == null) return;
        Optional<String> failure = ping(client, databaseName, Duration.ZERO);
        if (failure.isPresent()) {
            log.debug("MongoDB still unreachable: {}", failure.get());
            return;
        }
        try {
            if (instances == null) prepareStores();
            MemoryFallback.Moved moved = fallback.moveTo(new MemoryFallback.Target(instances, events, audit));
            degradedReason = null;
            log.info("memory fallback healed: {} answers again; moved {} instances ({} already there with a revision as high, {} refused "
                            + "for a reference taken there), {} pending and {} delivered events, {} waits and {} audit entries in {} ms; "
                            + "running on MongoDB", where, moved.instances(), moved.instancesKept(), moved.referenceConflicts(), moved.pendingEvents(),
                    moved.deliveredEvents(), moved.waits(), moved.auditEntries(), moved.took().toMillis());
            if (outboxWanted) outbox.start(OUTBOX_FLUSH, OUTBOX_RELAY, OUTBOX_GRACE);
        } catch (RuntimeException e) {
            log.warn("MongoDB answered but the move from memory failed ({}); still on memory, trying again in {} s", e.toString(),
                    PROBE_PERIOD.toSeconds());
        }
    }

    /** Hands relayed outbox events to the daemon's publishers; set once the runner's publishers are known. */
    private volatile LifecycleEventPublisher relayTarget = LifecycleEventPublisher.NONE;

    /** The relay's publisher: each entry's events with the trace context of their instance (empty for none). */
    private final LifecycleEventPublisher relay = new LifecycleEventPublisher() {
        @Override
        public void publish(List<net.reactory.workflow.domain.instance.WorkflowEvent> events) {
            relayTarget.publish(events);
        }

        @Override
        public void publish(List<net.reactory.workflow.domain.instance.WorkflowEvent> events, Map<String, String> traceContext) {
            relayTarget.publish(events, traceContext);
        }
    };

    /**
     * Connects to the MongoDB of {@code settings.mongoose()}.
     *
     * @throws MongoUnavailableException when it stays unreachable and the fallback is {@code fail}
     */
    public static MongoPersistence open(Settings settings) {
        String uri = settings.mongoose().orElseThrow(() -> new IllegalArgumentException("MONGOOSE is not set"));
        ConnectionString connection;
        try {
            connection = new ConnectionString(uri);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("MONGOOSE is not a valid MongoDB connection string (it is not shown: it may hold a password)");
        }
        String hosts = String.join(",", connection.getHosts());
        String databaseName = settings.mongoDatabase().orElse(connection.getDatabase() != null ? connection.getDatabase() : DEFAULT_DATABASE);
        String where = "MongoDB at " + hosts + " (database " + databaseName + ")";
        MongoClient client = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(connection)
                .applyToClusterSettings(c -> c.serverSelectionTimeout(2, TimeUnit.SECONDS))
                .applyToSocketSettings(s -> s.connectTimeout(2, TimeUnit.SECONDS))
                .build());
        Optional<String> failure = ping(client, databaseName, settings.persistenceRetry());
        if (failure.isEmpty()) {
            log.info("persistence: {}", where);
            try {
                return new MongoPersistence(where, client, databaseName, null, settings.mongoRetention(), settings.memoryRetention(), settings.historyLimit());
            } catch (RuntimeException e) {
                client.close();
                throw new MongoUnavailableException(where + " answered but could not be prepared: " + e.getClass().getSimpleName(), e);
            }
        }
        if (failure.get().startsWith(AUTHENTICATION_FAILED)) {
            client.close();
            throw new Daemon.StartException(where + " refused the credentials (" + failure.get().substring(AUTHENTICATION_FAILED.length())
                    + "): correct the user, password or authSource in MONGOOSE; not falling back to memory, wrong credentials are no outage", true, null);
        }
        String reason = where + " unreachable for " + settings.persistenceRetry() + " (" + failure.get() + ")";
        if (settings.persistenceFallback() == Settings.PersistenceFallback.FAIL) {
            client.close();
            throw new MongoUnavailableException(reason + "; WORKFLOW_PERSISTENCE_FALLBACK=fail: not starting", null);
        }
        // The client stays open: the fallback probes with it and moves to MongoDB once it answers.
        MongoPersistence degraded = new MongoPersistence(where, client, databaseName, reason, settings.mongoRetention(), settings.memoryRetention(), settings.historyLimit());
        degraded.warnDegraded();
        return degraded;
    }

    /** Pings until it answers or {@code retryFor} has passed, backing off from 250 ms to 5 s; the last failure, if any. */
    private static Optional<String> ping(MongoClient client, String database, Duration retryFor) {
        long deadline = System.nanoTime() + retryFor.toNanos();
        long backoff = 250;
        int attempt = 0;
        while (true) {
            attempt++;
            try {
                Blocking.all(client.getDatabase(database).runCommand(new Document("ping", 1)), Duration.ofSeconds(10));
                return Optional.empty();
            } catch (RuntimeException cause) {
                Optional<String> refused = authenticationFailure(cause);
                if (refused.isPresent()) return Optional.of(AUTHENTICATION_FAILED + refused.get());
                String failure = cause.getClass().getSimpleName();
                long left = deadline - System.nanoTime();
                if (left <= 0) return Optional.of(failure + " after " + attempt + " attempts");
                log.warn("MongoDB not reachable yet (attempt {}: {}); trying again in {} ms", attempt, failure, Math.min(backoff, left / 1_000_000));
                try {
                    Thread.sleep(Math.max(1, Math.min(backoff, left / 1_000_000)));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return Optional.of("interrupted");
                }
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
    }

    /**
     * The server answered and refused the credentials: the driver reports it as a {@link MongoSecurityException}, itself
     * or (when it surfaced during server selection) in the message of a timeout. What it said, without the user name.
     */
    static Optional<String> authenticationFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MongoSecurityException security) {
                Throwable why = security.getCause() != null ? security.getCause() : security;
                String text = why instanceof com.mongodb.MongoCommandException command
                        ? "code " + command.getErrorCode() + " " + command.getErrorCodeName() : why.getClass().getSimpleName();
                return Optional.of(text);
            }
            if (t.getMessage() != null && t.getMessage().contains("MongoSecurityException")) return Optional.of("MongoSecurityException");
        }
        return Optional.empty();
    }

    private void purgeSafely() {
        try {
            Instant cutoff = Instant.now().minus(retention);
            long instancesPurged = instances.purgeFinishedBefore(cutoff);
            long eventsPurged = events.purgeDeliveredBefore(cutoff);
            if (instancesPurged + eventsPurged > 0) {
                log.info("purged {} finished instances and {} delivered events older than {}", instancesPurged, eventsPurged, retention);
            }
        } catch (RuntimeException e) {
            log.warn("purge failed, trying again in an hour: {}", e.toString());
        }
    }

    private void warnDegraded() {
        if (degradedReason == null) return;
        log.warn("DEGRADED since {}: MONGOOSE is set but {}; running on the in-memory fallback ({} instances held only in memory, lost if this process dies); "
                + "probing MongoDB every {} s, and moving them there once it answers", since, degradedReason, fallback.instancesOnlyInMemory(),
                PROBE_PERIOD.toSeconds());
    }

    public boolean isDegraded() {
        return degradedReason != null;
    }

    /** Why the daemon runs on memory, or empty when it runs on MongoDB. */
    public Optional<String> degradedReason() {
        return Optional.ofNullable(degradedReason);
    }

    /** "MongoDB at host:port (database name)": safe to show. */
    public String where() {
        return where;
    }

    /** The stores of a node that started on the memory fallback, when it did. */
    public Optional<MemoryFallback> fallback() {
        return Optional.ofNullable(fallback);
    }

    MongoInstanceStore instances() {
        return instances;
    }

    MongoEventStore events() {
        return events;
    }

    MongoAuditLog audit() {
        return audit;
    }

    MongoOutbox outbox() {
        return outbox;
    }

    MongoWorkSignal workSignal() {
        return workSignal;
    }

    /** Starts the outbox relay, publishing events in doubt to {@code target}. */
    void startOutbox(LifecycleEventPublisher target) {
        relayTarget = target;
        outboxWanted = true;
        // On the fallback, the move starts it.
        if (degradedReason == null && outbox != null) outbox.start(OUTBOX_FLUSH, OUTBOX_RELAY, OUTBOX_GRACE);
    }

    /**
     * The acknowledger of a node on the fallback: nothing to acknowledge on memory, the outbox's once moved to MongoDB
     * (saves from then on write outbox entries, which the runner's publishing acknowledges as on a node started on MongoDB).
     */
    LifecycleEventPublisher fallbackAcknowledger() {
        return events -> {
            MongoOutbox o = outbox;
            if (fallback.moved() && o != null) o.acknowledger().publish(events);
        };
    }

    @Override
    public void close() {
        timer.shutdownNow();
        if (workSignal != null) workSignal.close();
        if (outbox != null) {
            outbox.close();
            try {
                outbox.flushAcknowledged(Duration.ZERO);
            } catch (RuntimeException e) {
                log.debug("final outbox flush failed: {}", e.toString());
            }
        }
        if (client != null) client.close();
    }

    /** MongoDB stayed unreachable and the fallback is {@code fail}. The message names the hosts, never the password. */
    public static final class MongoUnavailableException extends RuntimeException {
        MongoUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
