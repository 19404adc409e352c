package net.reactory.workflow.adapter.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.mongodb.reactivestreams.client.MongoDatabase;

import net.reactory.workflow.application.port.out.CreateResult;
import net.reactory.workflow.application.port.out.StoreUnavailableException;
import net.reactory.workflow.application.port.out.TestInstances;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/**
 * A write lands but its answer is lost (here: the store stops waiting at once). The caller, such as the runner's
 * store breaker holding a save through an outage, tries the same write again: it must hear "saved", not "stale",
 * else a committed step would be dropped and run again.
 */
class LostAnswerTest {

    private static final Duration NO_WAIT = Duration.ofNanos(1);
    private static final Duration NORMAL = Duration.ofSeconds(10);

    private final MongoDatabase database = TestMongo.freshDatabase();
    private final MongoInstanceStore store = new MongoInstanceStore(database).createIndexes();

    @Test
    void givenSaveWhoseAnswerWasLost_whenTheSameSaveIsRetried_thenReportedSavedNotStale() {
        WorkflowInstance instance = null;
        WorkflowInstance next = null;
        // Not waiting at all loses the answer, unless the server was faster still: then try another instance.
        for (int attempt = 0; attempt < 50 && next == null; attempt++) {
            WorkflowInstance candidate = TestInstances.runnable(Instant.now());
            store.create(candidate);
            WorkflowInstance advanced = TestInstances.advanced(candidate, Map.of("n", 2));
            store.timeout(NO_WAIT);
            try {
                store.save(advanced, candidate.revision(), List.of());
            } catch (StoreUnavailableException lost) {
                instance = candidate;
                next = advanced;
            } finally {
                store.timeout(NORMAL);
            }
        }
        assertThat(next).as("an answer was lost").isNotNull();
        WorkflowInstance created = instance;
        WorkflowInstance saved = next;
        await().atMost(Duration.ofSeconds(10)).until(() -> store.load(created.id()).orElseThrow().revision() == saved.revision());
        assertRetryReportsSaved(created, saved);
    }

    private void assertRetryReportsSaved(WorkflowInstance instance, WorkflowInstance next) {
        await().atMost(Duration.ofSeconds(10)).until(() -> store.load(instance.id()).orElseThrow().revision() == next.revision());

        assertThat(new MongoInstanceStore(database).save(next, instance.revision(), List.of()))
                .as("another writer of the same revision is stale").isFalse();
        assertThat(store.save(next, instance.revision(), List.of())).as("the retry of the write that landed").isTrue();
        assertThat(store.save(next, instance.revision(), List.of())).as("once settled, a repeat is stale").isFalse();
        assertThat(store.load(instance.id())).contains(next);
    }

    @Test
    void givenCreateWhoseAnswerWasLost_whenRetried_thenCreated() {
        WorkflowInstance lostOne = null;
        for (int attempt = 0; attempt < 50 && lostOne == null; attempt++) {
            WorkflowInstance candidate = TestInstances.runnable(Instant.now());
            store.timeout(NO_WAIT);
            try {
                store.create(candidate);
            } catch (StoreUnavailableException lost) {
                lostOne = candidate;
            } finally {
                store.timeout(NORMAL);
            }
        }
        assertThat(lostOne).as("an answer was lost").isNotNull();
        WorkflowInstance instance = lostOne;
        await().atMost(Duration.ofSeconds(10)).until(() -> store.load(instance.id()).isPresent());

        assertThat(store.create(instance)).isEqualTo(new CreateResult.Created(instance));
        assertThat(store.load(instance.id())).contains(instance);
    }
}
