package net.reactory.workflow.adapter.mongo;

import java.nio.ByteBuffer;
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
        List<Integer> insertAt = new ArrayList<>();
        List<Integer> updateAt = new ArrayList<>();
        // Each write's documents as bytes, [document] for an insert, [filter, update] for an update, by batch index.
        ByteBuffer[][] parts = new ByteBuffer[writes.size()][];
        long insertBytes = 0;
        long updateBytes = 0;
        for (int i = 0; i < writes.size(); i++) {
            GroupCommit.Write write = writes.get(i);
            if (write instanceof GroupCommit.Insert insert) {
                parts[i] = new ByteBuffer[] {bytes(insert.document())};
                insertAt.add(i);
                insertBytes += parts[i][0].remaining() + ELEMENT;
            } else if (write instanceof GroupCommit.Update update) {
                parts[i] = new ByteBuffer[] {bytes(update.filter()), bytes(update.update())};
                updateAt.add(i);
                updateBytes += parts[i][0].remaining() + parts[i][1].remaining() + 4 * ELEMENT;
            }
        }
        if (!acknowledged || insertBytes + updateBytes > maxCommandBytes) {
            bulkWrite(writes, answer);
            return;
        }
        Combined combined = new Combined((insertAt.isEmpty() ? 0 : 1) + (updateAt.isEmpty() ? 0 : 1), answer);
        if (!insertAt.isEmpty()) run(command(N_INSERT, N_DOCUMENTS, parts, insertAt, insertBytes), false, insertAt, combined);
        if (!updateAt.isEmpty()) run(command(N_UPDATE, N_UPDATES, parts, updateAt, updateBytes), true, updateAt, combined);
    }

    /** Room for one element's type, index name and the like, around the bytes of a document. */
    private static final int ELEMENT = 8;
    private static final BsonBytes.Name N_INSERT = BsonBytes.name("insert");
    private static final BsonBytes.Name N_UPDATE = BsonBytes.name("update");
    private static final BsonBytes.Name N_DOCUMENTS = BsonBytes.name("documents");
    private static final BsonBytes.Name N_UPDATES = BsonBytes.name("updates");
    private static final BsonBytes.Name N_ORDERED = BsonBytes.name("ordered");
    private static final BsonBytes.Name N_WRITE_CONCERN = BsonBytes.name("writeConcern");
    private static final BsonBytes.Name N_Q = BsonBytes.name("q");
    private static final BsonBytes.Name N_U = BsonBytes.name("u");

    /** A filter or update as bytes: those it is, or written from its document (the lease changes'). */
    private static ByteBuffer bytes(Bson bson) {
        RawBsonDocument raw = bson instanceof RawBsonDocument r ? r
                : bson instanceof Document d ? new RawBsonDocument(d, PlainBson.CODEC)
                : new RawBsonDocument(bson.toBsonDocument(), new BsonDocumentCodec());
        return raw.getByteBuffer().asNIO();
    }

    /**
     * {@code {insert|update: collection, ordered: false, documents|updates: [...], writeConcern?}}, written in one
     * buffer of the size it needs: an insert's document as it is, an update as {@code {q: filter, u: update}}.
     */
    private RawBsonDocument command(BsonBytes.Name kind, BsonBytes.Name list, ByteBuffer[][] parts, List<Integer> at, long bytes) {
        BsonBytes out = new BsonBytes((int) bytes + 64 + name.length() + (writeConcern == null ? 0 : writeConcern.getByteBuffer().remaining() + ELEMENT));
        int command = out.start();
        out.string(kind, name);
        out.bool(N_ORDERED, false);
        int array = out.startArray(list);
        for (int k = 0; k < at.size(); k++) {
            ByteBuffer[] write = parts[at.get(k)];
            if (write.length == 1) {
                out.document(BsonBytes.index(k), write[0]);
            } else {
                int entry = out.startDocument(BsonBytes.index(k));
                out.document(N_Q, write[0]);
                out.document(N_U, write[1]);
                out.end(entry);
            }
        }
        out.end(array);
        if (writeConcern != null) out.document(N_WRITE_CONCERN, writeConcern.getByteBuffer().asNIO());
        out.end(command);
        return out.toRaw();
    }

    /** Runs one command; its reply's {@code n} counts matches ({@code updates}) or inserts, its {@code writeErrors} the refusals. */
    private void run(RawBsonDocument command, boolean updates, List<Integer> batchIndex, Combined combined) {
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
                combined.answered(updates ? n : 0, errors);
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
