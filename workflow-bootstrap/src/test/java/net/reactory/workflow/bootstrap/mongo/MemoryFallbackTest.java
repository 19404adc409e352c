package net.reactory.workflow.bootstrap.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoDatabase;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import net.reactory.workflow.adapter.mongo.MongoAuditLog;
import net.reactory.workflow.adapter.mongo.MongoEventStore;
import net.reactory.workflow.adapter.mongo.MongoInstanceStore;
import net.reactory.workflow.application.port.out.AuditEntry;
import net.reactory.workflow.application.port.out.EventSubscription;
import net.reactory.workflow.application.port.in.InstanceFilter;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.port.out.PublishedEvent;
import net.reactory.workflow.application.port.out.StoreUnavailableException;
import net.reactory.workflow.domain.definition.DefinitionKey;
import net.reactory.workflow.domain.instance.Lease;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/** The move of a memory fallback to MongoDB is idempotent by id: a move cut short and done again loses and duplicates nothing. */
class MemoryFallbackTest {

    private static final DefinitionKey KEY = DefinitionKey.of("fallback", "Test", "1.0.0");
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    private MongoServer server;
    private MongoClient client;
    private MongoDatabase database;

    @BeforeEach
    void setUp() {
        server = new MongoServer(new MemoryBackend());
        client = MongoClients.create("mongodb://127.0.0.1:" + server.bind().getPort());
        database = client.getDatabase("fallback-test");
    }

    @AfterEach
    void tearDown() {
        client.close();
        server.shutdownNow();
    }

    @Test
    void givenAMoveCutShortByMongo_whenMovedAgainAfterMoreWritesOnMemory_thenEverythingIsThereOnceAndAsMemoryLastHadIt() {
        MemoryFallback fallback = new MemoryFallback(Duration.ofHours(1), 1000);
        List<WorkflowInstance> created = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            WorkflowInstance instance = WorkflowInstance.created("i-" + i, KEY, "d" + i, "ref-" + i, NOW);
            if (i % 5 == 0) instance = instance.withLease(new Lease("node-a", NOW.plusSeconds(30))); // a step running under a lease
            fallback.instances().create(instance);
            created.add(instance);
        }
        for (int i = 0; i < 5; i++) fallback.events().subscribe(new EventSubscription("i-" + i, 1, "paid", "k" + i, null, NOW));
        for (int i = 0; i < 3; i++) fallback.events().append(new PublishedEvent("e-" + i, "paid", "nobody", i, NOW, NOW));
        fallback.events().append(new PublishedEvent("e-delivered", "paid", "k9", null, NOW, NOW));
        fallback.events().markDelivered("e-delivered");
        for (int i = 0; i < 10; i++) fallback.audit().record(new AuditEntry(NOW, "test", "api", "start", "fallback.Test", "accepted", "i-" + i));
        MongoInstanceStore mongo = new MongoInstanceStore(database).createIndexes();
        MongoEventStore events = new MongoEventStore(database).createIndexes();
        MongoAuditLog audit = new MongoAuditLog(database).createIndexes();

        assertThatThrownBy(() -> fallback.moveTo(new MemoryFallback.Target(failingAfter(20, mongo), events, audit)))
                .isInstanceOf(StoreUnavailableException.class);
        assertThat(fallback.moved()).as("memory stays in charge").isFalse();
        // The node goes on on memory: an instance moves on, a wait is consumed, one more command is audited.
        WorkflowInstance moved = created.get(3).withData("changed").withRevision(created.get(3).revision() + 1);
        assertThat(fallback.instances().save(moved, created.get(3).revision(), List.of())).isTrue();
        assertThat(fallback.events().removeSubscription(new EventSubscription("i-0", 1, "paid", "k0", null, NOW))).isTrue();
        fallback.audit().record(new AuditEntry(NOW, "test", "api", "start", "fallback.Test", "accepted", "i-late"));

        MemoryFallback.Moved report = fallback.moveTo(new MemoryFallback.Target(mongo, events, audit));

        assertThat(fallback.moved()).isTrue();
        List<WorkflowInstance> there = mongo.query(InstanceFilter.all(1000));
        assertThat(there).extracting(WorkflowInstance::id).as("each instance once").containsExactlyInAnyOrderElementsOf(
                created.stream().map(WorkflowInstance::id).toList());
        assertThat(mongo.load("i-3")).get().extracting(WorkflowInstance::data, WorkflowInstance::revision)
                .as("copied in the first move, overtaken on memory: memory's later revision wins").containsExactly("changed", moved.revision());
        assertThat(mongo.load("i-5").orElseThrow().lease()).as("the lease moves with the instance").isEqualTo(new Lease("node-a", NOW.plusSeconds(30)));
        assertThat(mongo.renewLease("i-5", "node-a", created.get(5).revision(), NOW.plusSeconds(60)))
                .as("the runner's lease on memory is its lease on MongoDB").isTrue();
        assertThat(audit.recent(100)).as("audit entries once each, the late one included").hasSize(11);
        assertThat(events.subscriptionsFor("paid", "k0", NOW)).as("the wait consumed after the first move is gone").isEmpty();
        assertThat(events.subscriptionsFor("paid", "k1", NOW)).hasSize(1);
        assertThat(events.pendingEvents("paid", "nobody", null)).extracting(PublishedEvent::id).containsExactly("e-0", "e-1", "e-2");
        assertThat(events.append(new PublishedEvent("e-delivered", "paid", "k9", null, NOW, NOW))).as("a delivered id stays delivered").isFalse();
        assertThat(report.instances() + report.instancesKept()).isEqualTo(50);
        assertThat(fallback.instancesOnlyInMemory()).isZero();
        assertThat(fallback.instances().load("i-7")).as("calls go to MongoDB now").isEqualTo(mongo.load("i-7"));
    }

    @Test
    void givenAnInstanceAlreadyInMongoWithAHigherRevision_whenCopied_thenMongoKeepsIt() {
        MongoInstanceStore mongo = new MongoInstanceStore(database).createIndexes();
        WorkflowInstance old = WorkflowInstance.created("x", KEY, "old", null, NOW);
        WorkflowInstance newer = old.withData("newer").withRevision(old.revision() + 2);
        mongo.create(newer);

        assertThat(MemoryFallback.copy(old, mongo)).isEqualTo(MemoryFallback.Copy.KEPT);
        assertThat(mongo.load("x").orElseThrow().data()).isEqualTo("newer");
    }

    /** The store, but creates throw as an unreachable MongoDB does once {@code n} went through. */
    private static InstanceStore failingAfter(int n, InstanceStore store) {
        AtomicInteger creates = new AtomicInteger();
        return (InstanceStore) Proxy.newProxyInstance(InstanceStore.class.getClassLoader(), new Class<?>[]{InstanceStore.class}, (proxy, method, args) -> {
            if (method.getName().equals("create") && creates.incrementAndGet() > n) throw new StoreUnavailableException("MongoDB gone again", null);
            try {
                return method.invoke(store, args);
            } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }
}
