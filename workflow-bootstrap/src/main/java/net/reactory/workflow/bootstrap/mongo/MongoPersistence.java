package net.reactory.workflow.bootstrap.mongo;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoDatabase;

import net.reactory.workflow.adapter.mongo.MongoAuditLog;
import net.reactory.workflow.adapter.mongo.MongoEventStore;
import net.reactory.workflow.adapter.mongo.BsonData;
import net.reactory.workflow.adapter.mongo.MongoInstanceStore;
import net.reactory.workflow.adapter.mongo.MongoOutbox;
import net.reactory.workflow.adapter.mongo.MongoWorkSignal;
import net.reactory.workflow.application.port.out.LifecycleEventPublisher;
import net.reactory.workflow.bootstrap.Settings;

/**
 * The daemon's MongoDB, or the decision not to use it. {@link #open} connects with {@code MONGOOSE}, retrying with
 * backoff for {@code WORKFLOW_PERSISTENCE_RETRY}; when MongoDB stays unreachable it either fails with a message that
 * names the hosts (never the password) or returns a degraded persistence whose warning is logged every minute while
 * the daemon runs on memory. The connection string itself is never logged: it may carry a password.
 */
public final class MongoPersistence implements AutoCloseable {

    public static final String DEFAULT_DATABASE = "reactory-workflow";
    static final Duration WARNING_PERIOD = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger(MongoPersistence.class);

    private final String where;
    private final MongoClient client;
    private final MongoInstanceStore instances;
    private final MongoEventStore events;
    private final MongoAuditLog audit;
    private final MongoOutbox outbox;
    private final MongoWorkSignal workSignal;
    private final String degradedReason;
    private final Instant since;
    private final ScheduledExecutorService timer;
    /** Finished instances and delivered events are kept this long, then purged by an hourly sweep. */
    private final Duration retention;
    /** This is built before the injector, which binds the same system clock: the adapters get theirs here. */
    private final InstantSource clock = InstantSource.system();

    private MongoPersistence(String where, MongoClient client, MongoDatabase database, String degradedReason, Duration retention,
                             int historyLimit) {
        this.where = where;
        this.retention = retention;
        this.client = client;
        this.degradedReason = degradedReason;
        this.since = Instant.now();
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("mongo-persistence").daemon(true).factory());
        if (database != null) {
            this.instances = new MongoInstanceStore(database, new BsonData(), Duration.ofSeconds(10), clock, historyLimit).createIndexes();
            this.events = new MongoEventStore(database).createIndexes();
            this.audit = new MongoAuditLog(database).createIndexes();
            this.outbox = new MongoOutbox(instances, this::relay);
            this.workSignal = new MongoWorkSignal(database, clock).createIndexes();
            timer.scheduleWithFixedDelay(this::purgeSafely, 1, 60, TimeUnit.MINUTES);
        } else {
            this.workSignal = null;
            this.instances = null;
            this.events = null;
            this.audit = null;
            this.outbox = null;
            long period = WARNING_PERIOD.toMillis();
            timer.scheduleAtFixedRate(this::warnDegraded, period, period, TimeUnit.MILLISECONDS);
        }
    }

    /** Hands relayed outbox events to the daemon's publishers; set once the runner's publishers are known. */
    private volatile LifecycleEventPublisher relayTarget = LifecycleEventPublisher.NONE;

    private void relay(List<net.reactory.workflow.domain.instance.WorkflowEvent> events) {
        relayTarget.publish(events);
    }

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
                return new MongoPersistence(where, client, client.getDatabase(databaseName), null, settings.mongoRetention(),
                        settings.historyLimit());
            } catch (RuntimeException e) {
                client.close();
                throw new MongoUnavailableException(where + " answered but could not be prepared: " + e.getClass().getSimpleName(), e);
            }
        }
        client.close();
        String reason = where + " unreachable for " + settings.persistenceRetry() + " (" + failure.get() + ")";
        if (settings.persistenceFallback() == Settings.PersistenceFallback.FAIL) {
            throw new MongoUnavailableException(reason + "; WORKFLOW_PERSISTENCE_FALLBACK=fail: not starting", null);
        }
        MongoPersistence degraded = new MongoPersistence(where, null, null, reason, settings.mongoRetention(), settings.historyLimit());
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
                java.util.concurrent.CompletableFuture<Document> answer = new java.util.concurrent.CompletableFuture<>();
                client.getDatabase(database).runCommand(new Document("ping", 1)).subscribe(new org.reactivestreams.Subscriber<>() {
                    @Override
                    public void onSubscribe(org.reactivestreams.Subscription s) {
                        s.request(1);
                    }

                    @Override
                    public void onNext(Document d) {
                        answer.complete(d);
                    }

                    @Override
                    public void onError(Throwable t) {
                        answer.completeExceptionally(t);
                    }

                    @Override
                    public void onComplete() {
                        answer.complete(null);
                    }
                });
                answer.get(10, TimeUnit.SECONDS);
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.of("interrupted");
            } catch (Exception e) {
                Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
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
        log.warn("DEGRADED since {}: MONGOOSE is set but {}; running on the in-memory store, instances are lost on restart",
                since, degradedReason);
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
        if (outbox == null) return;
        relayTarget = target;
        outbox.start(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(1));
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
