package net.reactory.workflow.adapter.mongo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.conversions.Bson;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;
import com.mongodb.WriteConcern;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.WriteModel;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;

/**
 * Sends a batch of {@link GroupCommit}'s writes. Usually as the server's own {@code insert} and {@code update} commands,
 * written as one BSON document each ({@link BsonBytes}) from the bytes the writes already are, and run with
 * {@code runCommand}: the driver copies such a document onto the wire in one piece. Its {@code bulkWrite} instead
 * builds a request per write, re-reads each of our documents element by element through its writer decorators (the
 * one that looks for an insert's {@code _id}, the one that checks an update has fields) and combines a result per
 * run: in the benchmark's profile that, and compiling it, was the largest part of the runner's cost left. The answer
 * is what the server says either way: how many updates matched, and each refused write by its index.
 * <p>
 * A batch too large for one command document ({@link #MAX_COMMAND_BYTES}), or a write concern that asks for no
 * answer, goes by {@code bulkWrite} as before, which splits and acknowledges as the driver does.
 */
final class WriteCommands {

    /** Well under the 16 MB a command document may hold; the batches of small documents are far below it. */
    static final int MAX_COMMAND_BYTES = 8 * 1024 * 1024;

    /** What the server said of a batch, or that it said nothing usable. */
    interface Answer {
        /** {@code matched}: the updates that matched their filter; {@code errors}: refused writes by their index in the batch. */
        void answered(long matched, Map<Integer, BulkWriteError> errors);

        /** No answer to tell by (connection lost, a write concern error, a command error): every write is in doubt. */
        void lost(Throwable cause);
    }

    private final MongoDatabase database;
    private final MongoCollection<RawBsonDocument> collection;
    private final String name;
    /** The write concern to send along, null for the server's default; the commands are not used for unacknowledged writes. */
    private final RawBsonDocument writeConcern;
    private final boolean acknowledged;
    private final long maxCommandBytes;

    WriteCommands(MongoDatabase database, String collectionName) {
        this(database, collectionName, MAX_COMMAND_BYTES);
    }

    /** @param maxCommandBytes the most bytes of writes sent as commands; a larger batch goes by {@code bulkWrite} */
    WriteCommands(MongoDatabase database, String collectionName, long maxCommandBytes) {
        this.maxCommandBytes = maxCommandBytes;
        this.database = Objects.requireNonNull(database, "database");
        this.name = Objects.requireNonNull(collectionName, "collectionName");
        this.collection = database.getCollection(collectionName, RawBsonDocument.class);
        WriteConcern concern = database.getWriteConcern();
        this.acknowledged = concern.isAcknowledged();
        this.writeConcern = concern.isServerDefault() ? null : new RawBsonDocument(concern.asDocument(), new BsonDocumentCodec());
    }

    /** Sends the writes; {@code answer} hears once, from one of the driver's threads. */
    void send(List<GroupCommit.Write> writes, Answer answer) {
        List<RawBsonDocument> inserts = new ArrayList<>();
        List<Integer> insertAt = new ArrayList<>();
        List<RawBsonDocument> updates = new ArrayList<>();
        List<Integer> updateAt = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < writes.size(); i++) {
            GroupCommit.Write write = writes.get(i);
            if (write instanceof GroupCommit.Insert insert) {
                inserts.add(insert.document());
                insertAt.add(i);
                bytes += insert.document().getByteBuffer().remaining();
            } else if (write instanceof GroupCommit.Update update) {
                RawBsonDocument entry = updateEntry(update);
                updates.add(entry);
                updateAt.add(i);
                bytes += entry.getByteBuffer().remaining();
            }
        }
        if (!acknowledged || bytes > maxCommandBytes) {
            bulkWrite(writes, answer);
            return;
        }
        Combined combined = new Combined((inserts.isEmpty() ? 0 : 1) + (updates.isEmpty() ? 0 : 1), answer);
        if (!inserts.isEmpty()) run(command("insert", "documents", inserts), insertAt, combined);
        if (!updates.isEmpty()) run(command("update", "updates", updates), updateAt, combined);
    }

    /** {@code {q: filter, u: update}}, from the bytes the write holds, or written from its documents. */
    private static RawBsonDocument updateEntry(GroupCommit.Update update) {
        BsonBytes out = new BsonBytes(512);
        int entry = out.start();
        embed(out, "q", update.filter());
        embed(out, "u", update.update());
        out.end(entry);
        return out.toRaw();
    }

    private static void embed(BsonBytes out, String name, Bson bson) {
        RawBsonDocument raw = bson instanceof RawBsonDocument r ? r
                : bson instanceof Document d ? new RawBsonDocument(d, PlainBson.CODEC)
                : new RawBsonDocument(bson.toBsonDocument(), new BsonDocumentCodec());
        out.document(name, raw.getByteBuffer().asNIO());
    }

    /** {@code {<kind>: collection, ordered: false, <list>: [...], writeConcern?}} as one document. */
    private RawBsonDocument command(String kind, String list, List<RawBsonDocument> items) {
        int size = 64;
        for (RawBsonDocument item : items) size += item.getByteBuffer().remaining() + 8;
        BsonBytes out = new BsonBytes(size);
        int command = out.start();
        out.string(kind, name);
        out.bool("ordered", false);
        int array = out.startArray(list);
        for (int i = 0; i < items.size(); i++) out.document(BsonBytes.index(i), items.get(i).getByteBuffer().asNIO());
        out.end(array);
        if (writeConcern != null) out.document("writeConcern", writeConcern.getByteBuffer().asNIO());
        out.end(command);
        return out.toRaw();
    }

    /** Runs one command; its reply's {@code n} counts matches (updates) or inserts, its {@code writeErrors} the refusals. */
    private void run(RawBsonDocument command, List<Integer> batchIndex, Combined combined) {
        subscribe(database.runCommand(command, RawBsonDocument.class), new Reply<RawBsonDocument>() {
            @Override
            void reply(RawBsonDocument reply) {
                if (reply.containsKey("writeConcernError")) {
                    combined.lost(new MongoException("MongoDB reported a write concern error: " + reply.get("writeConcernError")));
                    return;
                }
                Map<Integer, BulkWriteError> errors = new HashMap<>();
                BsonValue writeErrors = reply.get("writeErrors");
                if (writeErrors != null && writeErrors.isArray()) {
                    for (BsonValue error : writeErrors.asArray()) {
                        BsonDocument e = error.asDocument();
                        int index = batchIndex.get(e.getNumber("index").intValue());
                        errors.put(index, new BulkWriteError(e.getNumber("code").intValue(),
                                e.getString("errmsg", new org.bson.BsonString("")).getValue(), new BsonDocument(), index));
                    }
                }
                long n = reply.containsKey("n") ? reply.getNumber("n").longValue() : 0;
                combined.answered(command.getFirstKey().equals("update") ? n : 0, errors);
            }

            @Override
            void failed(Throwable t) {
                combined.lost(t);
            }
        });
    }

    /** The answers of a batch's one or two commands, told once both are in; any lost one loses the batch, as a bulk write's would. */
    private static final class Combined {
        private final AtomicInteger pending;
        private final Answer answer;
        private final Map<Integer, BulkWriteError> errors = new HashMap<>();
        private long matched;
        private Throwable lost;

        Combined(int commands, Answer answer) {
            this.pending = new AtomicInteger(commands);
            this.answer = answer;
        }

        void answered(long matchedHere, Map<Integer, BulkWriteError> errorsHere) {
            synchronized (this) {
                matched += matchedHere;
                errors.putAll(errorsHere);
            }
            arrived();
        }

        void lost(Throwable cause) {
            synchronized (this) {
                if (lost == null) lost = cause;
            }
            arrived();
        }

        private void arrived() {
            if (pending.decrementAndGet() > 0) return;
            synchronized (this) {
                if (lost != null) answer.lost(lost);
                else answer.answered(matched, errors);
            }
        }
    }

    /** The driver's own bulk write, for what the commands do not carry. */
    private void bulkWrite(List<GroupCommit.Write> writes, Answer answer) {
        List<WriteModel<RawBsonDocument>> models = new ArrayList<>(writes.size());
        for (GroupCommit.Write write : writes) models.add(write.model());
        subscribe(collection.bulkWrite(models, new BulkWriteOptions().ordered(false)), new Reply<BulkWriteResult>() {
            @Override
            void reply(BulkWriteResult result) {
                answer.answered(result.getMatchedCount(), Map.of());
            }

            @Override
            void failed(Throwable t) {
                if (t instanceof MongoBulkWriteException e && e.getWriteConcernError() == null) {
                    Map<Integer, BulkWriteError> errors = new HashMap<>();
                    for (BulkWriteError error : e.getWriteErrors()) errors.put(error.getIndex(), error);
                    answer.answered(e.getWriteResult().getMatchedCount(), errors);
                } else {
                    answer.lost(t);
                }
            }
        });
    }

    /** The one answer of a write or command: a reply, or the failure; an empty answer is a lost one. */
    private abstract static class Reply<T> {
        abstract void reply(T reply);

        abstract void failed(Throwable t);
    }

    private static <T> void subscribe(Publisher<T> publisher, Reply<T> reply) {
        try {
            publisher.subscribe(new Subscriber<T>() {
                private boolean answered;

                @Override
                public void onSubscribe(Subscription s) {
                    s.request(1);
                }

                @Override
                public void onNext(T item) {
                    answered = true;
                    reply.reply(item);
                }

                @Override
                public void onError(Throwable t) {
                    reply.failed(t);
                }

                @Override
                public void onComplete() {
                    if (!answered) reply.failed(new MongoException("MongoDB answered a write with nothing"));
                }
            });
        } catch (RuntimeException e) {
            reply.failed(e);
        }
    }
}
