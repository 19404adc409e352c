package net.reactory.workflow.adapter.mongo;

import static net.reactory.workflow.adapter.mongo.InstanceDocuments.ID;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.conversions.Bson;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.WriteModel;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

import net.reactory.workflow.application.port.out.StoreUnavailableException;

/**
 * Group commit: the writes of many callers go to the server together, as one unordered {@code insert} and one
 * {@code update} command ({@link WriteCommands}), and each caller is woken with the outcome of its own write. A caller queues its write and waits; a batch is sent at once
 * when fewer than {@code maxInFlight} batches are on their way, else it fills while they are, and goes when one of them
 * is answered (or when it holds {@code maxBatch} writes and a slot frees). So a lone write goes at once, and under
 * load the batches grow by themselves to what arrives during one round trip: the window is the round trip.
 * <p>
 * A bulk answer counts matches, it does not say which update matched. When fewer matched than were sent, the batch's
 * documents are read back with one {@code find({_id: {$in: …}})}, and each update tells from its document whether it
 * landed (a save by its {@code writeId}, a lease change by its write count). Duplicate keys and other refusals come back
 * per write, by index. Nothing here weakens fencing: each update keeps its own filter.
 */
final class GroupCommit {

    /** One write in a batch. */
    sealed interface Write permits Insert, Update {
        WriteModel<RawBsonDocument> model();
    }

    /** A new document, written already: the driver copies its bytes. */
    record Insert(RawBsonDocument document) implements Write {
        @Override
        public WriteModel<RawBsonDocument> model() {
            return new InsertOneModel<>(document);
        }
    }

    /**
     * A conditional update of one document; {@code landed} tells, from the document read back, whether this update is
     * the one that wrote it (asked only when the batch matched fewer than it sent).
     */
    record Update(String instanceId, Bson filter, Bson update, Predicate<Document> landed) implements Write {
        @Override
        public WriteModel<RawBsonDocument> model() {
            return new UpdateOneModel<>(plain(filter), plain(update));
        }

        private static Bson plain(Bson bson) {
            return bson instanceof Document d ? PlainBson.of(d) : bson;
        }
    }

    /** What became of one write. */
    sealed interface Outcome {
    }

    /** The insert landed, or the update matched ({@code matched}) or did not. */
    record Done(boolean matched) implements Outcome {
    }

    /** The insert met a unique index. */
    record DuplicateKey(String message) implements Outcome {
    }

    /** The server refused this write (not a duplicate key): it did not land. */
    record Refused(String message) implements Outcome {
    }

    /** No answer for this write (connection lost, timeout): it may have landed or not. */
    record Lost(MongoException cause) implements Outcome {
    }

    /** A write and when it was queued, in {@link System#nanoTime()}: its caller waits at most the timeout from then. */
    private record Queued(Write write, CompletableFuture<Outcome> outcome, long queuedAt) {
    }

    /**
     * A batch on its way; it holds a slot until answered or, if the driver never answers, until its oldest write's
     * deadline, when its writers are told so and the slot is given up.
     */
    private final class InFlight {
        private final AtomicBoolean holding = new AtomicBoolean(true);
        /** Completed when the batch is answered; times out at the deadline of the batch's oldest write. */
        final CompletableFuture<Void> answered = new CompletableFuture<>();

        void release() {
            if (holding.compareAndSet(true, false)) slotsTaken.decrementAndGet();
        }
    }

    /** Writes go as documents written already ({@link BsonBytes}), in the server's own write commands. */
    private final WriteCommands commands;
    private final MongoCollection<Document> collection;
    private final int maxBatch;
    private final int maxInFlight;
    private volatile Duration timeout;
    private final ConcurrentLinkedQueue<Queued> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger slotsTaken = new AtomicInteger();
    /** Tests hold the writes back to make one batch of what they queue. */
    private volatile boolean paused;

    /**
     * @param maxBatch    the most writes in one batch
     * @param maxInFlight the most batches on their way at once: a few, well under the driver's connection pool
     * @param timeout     how long a caller waits for its outcome; a batch unanswered this long gives up its slot
     */
    GroupCommit(MongoDatabase database, String collectionName, int maxBatch, int maxInFlight, Duration timeout) {
        if (maxBatch < 1) throw new IllegalArgumentException("maxBatch must be at least 1, was " + maxBatch);
        if (maxInFlight < 1) throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
        this.collection = Objects.requireNonNull(database, "database").getCollection(collectionName);
        this.commands = new WriteCommands(database, collectionName);
        this.maxBatch = maxBatch;
        this.maxInFlight = maxInFlight;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    void timeout(Duration newTimeout) {
        this.timeout = Objects.requireNonNull(newTimeout, "newTimeout");
    }

    /**
     * Queues the write and waits for its outcome, up to the timeout. The wait has no timer of its own (a timed park
     * schedules and cancels one per write, a cost the profile showed): the batch carrying the write times out for all of
     * its writes at once, at its oldest write's deadline, and writes still queued then are timed out with it.
     *
     * @throws StoreUnavailableException when no outcome came in time, or the wait was interrupted: the write may still land
     */
    Outcome write(Write write) {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        queue.add(new Queued(write, outcome, System.nanoTime()));
        flush();
        try {
            return outcome.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for MongoDB", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TimeoutException timedOut) {
                throw new StoreUnavailableException(timedOut.getMessage(), timedOut);
            }
            // Outcomes are completed or timed out, never failed otherwise; this would be a bug here.
            throw new IllegalStateException("group commit failed a write", e.getCause());
        }
    }

    /** For tests: writes queue up and none is sent until {@link #resume}. */
    void pause() {
        paused = true;
    }

    /** For tests: sends what queued while paused. */
    void resume() {
        paused = false;
        flush();
    }

    /** For tests: how many writes wait to be sent. */
    int queued() {
        return queue.size();
    }

    /** Sends what is queued while there are free slots. Called by each writer and by each answered batch. */
    private void flush() {
        while (!paused && !queue.isEmpty()) {
            if (!takeSlot()) return;
            List<Queued> batch = new ArrayList<>(Math.min(maxBatch, 64));
            for (Queued q; batch.size() < maxBatch && (q = queue.poll()) != null; ) batch.add(q);
            InFlight slot = new InFlight();
            if (batch.isEmpty()) {
                slot.release();
                continue;
            }
            send(batch, slot);
        }
    }

    private boolean takeSlot() {
        while (true) {
            int taken = slotsTaken.get();
            if (taken >= maxInFlight) return false;
            if (slotsTaken.compareAndSet(taken, taken + 1)) return true;
        }
    }

    /** One timer per batch, cancelled when it is answered: at its oldest write's deadline, {@link #expire}. */
    private void deadline(List<Queued> batch, InFlight slot) {
        long oldest = batch.get(0).queuedAt();
        for (Queued q : batch) if (q.queuedAt() - oldest < 0) oldest = q.queuedAt();
        long left = Math.max(0, oldest + timeout.toNanos() - System.nanoTime());
        slot.answered.orTimeout(left, TimeUnit.NANOSECONDS).whenComplete((answered, failure) -> {
            if (failure != null) expire(batch, slot);
        });
    }

    /**
     * The driver did not answer a batch in time: its writers, and those queued as long, are told so (their writes may
     * still land: the store treats them as in doubt), and its slot goes to the writes waiting behind it.
     */
    private void expire(List<Queued> batch, InFlight slot) {
        Duration limit = timeout;
        for (Queued q : batch) q.outcome().completeExceptionally(new TimeoutException("MongoDB did not answer within " + limit));
        long now = System.nanoTime();
        for (Queued q : queue) {
            if (now - q.queuedAt() >= limit.toNanos()) q.outcome().completeExceptionally(new TimeoutException("MongoDB did not answer within " + limit));
        }
        slot.release();
        flush();
    }

    private void send(List<Queued> batch, InFlight slot) {
        List<Write> writes = new ArrayList<>(batch.size());
        for (Queued q : batch) writes.add(q.write());
        deadline(batch, slot);
        commands.send(writes, new WriteCommands.Answer() {
            @Override
            public void answered(long matched, Map<Integer, BulkWriteError> errors) {
                settle(batch, slot, matched, errors);
            }

            @Override
            public void lost(Throwable cause) {
                lose(batch, slot, cause);
            }
        });
    }

    /** A bulk answer: refusals by index, and for the updates, the matches, read back when not all matched. */
    private void settle(List<Queued> batch, InFlight slot, long matched, Map<Integer, BulkWriteError> errors) {
        int updatesSent = 0;
        for (int i = 0; i < batch.size(); i++) {
            Queued q = batch.get(i);
            BulkWriteError error = errors.get(i);
            if (error != null) {
                q.outcome().complete(ErrorCategory.fromErrorCode(error.getCode()) == ErrorCategory.DUPLICATE_KEY
                        ? new DuplicateKey(error.getMessage()) : new Refused(error.getMessage()));
            } else if (q.write() instanceof Update) {
                updatesSent++;
            } else {
                q.outcome().complete(new Done(true));
            }
        }
        if (updatesSent == 0) {
            done(slot);
            return;
        }
        if (matched >= updatesSent) {
            for (int i = 0; i < batch.size(); i++) batch.get(i).outcome().complete(new Done(true));
            done(slot);
            return;
        }
        readBack(batch, slot);
    }

    /** Fewer matched than were sent: the documents of the batch's updates, read back in one query, tell which landed. */
    private void readBack(List<Queued> batch, InFlight slot) {
        List<String> ids = new ArrayList<>();
        for (Queued q : batch) {
            if (!q.outcome().isDone() && q.write() instanceof Update u) ids.add(u.instanceId());
        }
        try {
            collection.find(new Document(ID, new Document("$in", ids))).subscribe(new Subscriber<>() {
                private final Map<String, Document> found = new HashMap<>();

                @Override
                public void onSubscribe(Subscription s) {
                    s.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(Document d) {
                    found.put(d.getString(ID), d);
                }

                @Override
                public void onError(Throwable t) {
                    lose(batch, slot, t);
                }

                @Override
                public void onComplete() {
                    for (Queued q : batch) {
                        if (q.outcome().isDone() || !(q.write() instanceof Update u)) continue;
                        Document stored = found.get(u.instanceId());
                        q.outcome().complete(new Done(stored != null && u.landed().test(stored)));
                    }
                    done(slot);
                }
            });
        } catch (RuntimeException e) {
            lose(batch, slot, e);
        }
    }

    /** No answer to tell by: every write of the batch not settled yet is in doubt. */
    private void lose(List<Queued> batch, InFlight slot, Throwable t) {
        MongoException cause = t instanceof MongoException m ? m : new MongoException("MongoDB batch write failed: " + t, t);
        for (Queued q : batch) q.outcome().complete(new Lost(cause));
        done(slot);
    }

    private void done(InFlight slot) {
        slot.answered.complete(null);
        slot.release();
        flush();
    }
}
