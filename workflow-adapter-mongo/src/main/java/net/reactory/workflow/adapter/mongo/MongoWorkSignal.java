package net.reactory.workflow.adapter.mongo;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.bson.Document;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.MongoException;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import net.reactory.workflow.application.port.out.StoreUnavailableException;
import net.reactory.workflow.application.port.out.WorkSignal;

/**
 * Wake-ups between runner nodes that share only MongoDB: a signal is a small document in
 * {@code workflow_signals}; every subscribed node reads the new ones every {@code pollInterval} (a query on a
 * small, indexed, expiring collection, far cheaper than the claim poller) and hands their instance ids to its
 * handler. Signals may be lost (a failed insert is only logged) or heard twice; the runner's poller is the
 * safety net and claims are atomic. Senders' clocks may differ by up to {@code overlap}: each read looks that
 * far back and skips the signals it has already handed over.
 */
public final class MongoWorkSignal implements WorkSignal, AutoCloseable {

    public static final String COLLECTION = "workflow_signals";

    private static final Logger log = LoggerFactory.getLogger(MongoWorkSignal.class);
    private static final Duration OVERLAP = Duration.ofSeconds(5);
    private static final Duration RETENTION = Duration.ofMinutes(1);

    private final MongoCollection<Document> signals;
    private final Duration pollInterval;
    private final Duration timeout;
    private final InstantSource clock;
    private final List<Consumer<String>> handlers = new CopyOnWriteArrayList<>();
    private final Map<ObjectId, Instant> handed = new HashMap<>();
    private ScheduledExecutorService reader;
    private Instant readFrom;
    private long reads;

    public MongoWorkSignal(MongoDatabase database) {
        this(database, InstantSource.system());
    }

    public MongoWorkSignal(MongoDatabase database, InstantSource clock) {
        this(database, Duration.ofMillis(200), Duration.ofSeconds(5), clock);
    }

    /** @param clock dates the signals sent, and tells from when to read those of the other nodes */
    public MongoWorkSignal(MongoDatabase database, Duration pollInterval, Duration timeout, InstantSource clock) {
        this.signals = Objects.requireNonNull(database, "database").getCollection(COLLECTION);
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Creates the index on {@code at}, expiring signals after a minute on MongoDB, idempotently. */
    public MongoWorkSignal createIndexes() {
        try {
            Blocking.all(signals.createIndexes(List.of(new IndexModel(Indexes.ascending("at"),
                    new IndexOptions().name("at_ttl").expireAfter(RETENTION.toSeconds(), TimeUnit.SECONDS)))), timeout);
        } catch (MongoException e) {
            throw new StoreUnavailableException("MongoDB work signal could not create its index: " + e.getMessage(), e);
        }
        return this;
    }

    @Override
    public void signal(String instanceId) {
        try {
            Blocking.one(signals.insertOne(new Document("_id", new ObjectId()).append("instanceId", instanceId).append("at", Date.from(clock.instant()))), timeout);
        } catch (RuntimeException e) {
            log.debug("work signal for {} lost: {}", instanceId, e.toString());
        }
    }

    @Override
    public synchronized AutoCloseable subscribe(Consumer<String> onRunnable) {
        Objects.requireNonNull(onRunnable, "onRunnable");
        handlers.add(onRunnable);
        if (reader == null) {
            readFrom = clock.instant().minus(OVERLAP);
            reader = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("mongo-work-signal").daemon(true).factory());
            reader.scheduleWithFixedDelay(this::readSafely, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
        return () -> handlers.remove(onRunnable);
    }

    private void readSafely() {
        try {
            read();
        } catch (RuntimeException e) {
            log.debug("reading work signals failed, trying again in {}: {}", pollInterval, e.toString());
        }
    }

    private void read() {
        Instant startedAt = clock.instant();
        List<Document> found = Blocking.all(signals.find(new Document("at", new Document("$gte", Date.from(readFrom))))
                .sort(Sorts.ascending("at", "_id")), timeout);
        for (Document d : found) {
            ObjectId id = d.getObjectId("_id");
            if (handed.putIfAbsent(id, startedAt) != null) continue;
            String instanceId = d.getString("instanceId");
            for (Consumer<String> handler : handlers) {
                try {
                    handler.accept(instanceId);
                } catch (RuntimeException e) {
                    log.warn("work signal handler failed for {}: {}", instanceId, e.toString());
                }
            }
        }
        readFrom = startedAt.minus(OVERLAP);
        handed.values().removeIf(at -> at.isBefore(readFrom.minus(OVERLAP)));
        if (++reads % 50 == 0) {
            // The in-process test server has no TTL: expire old signals by hand now and then.
            Blocking.one(signals.deleteMany(new Document("at", new Document("$lt", Date.from(startedAt.minus(RETENTION))))), timeout);
        }
    }

    @Override
    public synchronized void close() {
        if (reader != null) {
            reader.shutdownNow();
            reader = null;
        }
        handlers.clear();
    }
}
