package net.reactory.workflow.adapter.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.bson.Document;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.mongodb.ErrorCategory;
import com.mongodb.WriteConcern;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoDatabase;

/**
 * A batch's writes as the server's own commands, and as the driver's bulk write when they do not fit one command: the
 * same answer either way (the updates that matched, each refused write by its index in the batch).
 */
class WriteCommandsTest {

    private static final String COLLECTION = "writes";

    private final AtomicLong inserts = new AtomicLong();
    private final MongoClient client = TestMongo.newClient(new CommandListener() {
        @Override
        public void commandStarted(CommandStartedEvent event) {
            if (event.getCommandName().equals("insert")) inserts.incrementAndGet();
        }
    });
    private final MongoDatabase database = client.getDatabase(TestMongo.freshName());

    @AfterEach
    void tearDown() {
        client.close();
    }

    private record Answered(long matched, Map<Integer, BulkWriteError> errors) {
    }

    /** Two documents there, then: an update that matches, an insert of a taken id, a new insert, an update that does not match. */
    private Answered mixedBatch(WriteCommands commands) throws Exception {
        for (String id : List.of("a", "b")) send(commands, List.of(new GroupCommit.Insert(raw(new Document("_id", id).append("v", 1)))));
        return send(commands, List.of(
                update("a", 1),
                new GroupCommit.Insert(raw(new Document("_id", "b").append("v", 9))),
                new GroupCommit.Insert(raw(new Document("_id", "c").append("v", 1))),
                update("b", 7)));
    }

    private static GroupCommit.Update update(String id, int expected) {
        return new GroupCommit.Update(id, raw(new Document("_id", id).append("v", expected)),
                new Document("$inc", new Document("v", 1)), stored -> true);
    }

    private static RawBsonDocument raw(Document d) {
        return new RawBsonDocument(d, PlainBson.CODEC);
    }

    private static Answered send(WriteCommands commands, List<GroupCommit.Write> writes) throws Exception {
        CompletableFuture<Answered> answer = new CompletableFuture<>();
        commands.send(writes, new WriteCommands.Answer() {
            @Override
            public void answered(long matched, Map<Integer, BulkWriteError> errors) {
                answer.complete(new Answered(matched, errors));
            }

            @Override
            public void lost(Throwable cause) {
                answer.completeExceptionally(cause);
            }
        });
        return answer.get(10, TimeUnit.SECONDS);
    }

    private void assertMixedBatchAnswered(Answered answered, MongoDatabase on) {
        assertThat(answered.matched()).isEqualTo(1);
        assertThat(answered.errors()).containsOnlyKeys(1);
        assertThat(ErrorCategory.fromErrorCode(answered.errors().get(1).getCode())).isEqualTo(ErrorCategory.DUPLICATE_KEY);
        List<Document> stored = Blocking.all(on.getCollection(COLLECTION).find().sort(new Document("_id", 1)), java.time.Duration.ofSeconds(10));
        assertThat(stored).extracting(d -> d.getString("_id") + "=" + d.get("v")).containsExactly("a=2", "b=1", "c=1");
    }

    @Test
    void givenMixedBatch_whenSentAsCommands_thenMatchesAndRefusalsAreTheBatchsOwn() throws Exception {
        assertMixedBatchAnswered(mixedBatch(new WriteCommands(database, COLLECTION)), database);
    }

    @Test
    void givenBatchLargerThanOneCommand_whenSent_thenTheBulkWriteAnswersTheSame() throws Exception {
        assertMixedBatchAnswered(mixedBatch(new WriteCommands(database, COLLECTION, 0)), database);
    }

    @Test
    void givenWriteConcernOtherThanTheServersDefault_whenSent_thenItGoesAlongAndTheAnswerIsTheSame() throws Exception {
        MongoDatabase w1 = database.withWriteConcern(WriteConcern.W1);
        assertMixedBatchAnswered(mixedBatch(new WriteCommands(w1, COLLECTION)), w1);
    }

    @Test
    void givenInsertsOnly_whenSent_thenOneCommandCarriesThemAll() throws Exception {
        WriteCommands commands = new WriteCommands(database, COLLECTION);
        inserts.set(0);
        Answered answered = send(commands, List.of(new GroupCommit.Insert(raw(new Document("_id", "x"))),
                new GroupCommit.Insert(raw(new Document("_id", "y")))));
        assertThat(answered.errors()).isEmpty();
        assertThat(inserts.get()).isEqualTo(1);
    }
}
