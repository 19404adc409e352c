package net.reactory.workflow.definitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.adapter.memory.MemoryEventStore;
import net.reactory.workflow.adapter.memory.MemoryInstanceStore;
import net.reactory.workflow.application.service.RunnerConfig;
import net.reactory.workflow.application.service.SettableClock;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.language.WorkflowBuilder;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/** A JSON definition and the equivalent Java definition run alike: the same change events, in the same order. */
class JsonMatchesBuilderTest {

    private static final Instant T0 = Instant.parse("2026-05-01T09:00:00Z");

    private static final String JSON = """
            {"nameSpace": "same", "name": "Order", "version": "1.0.0",
             "steps": [
               {"name": "hello", "type": "log", "params": {"message": "order ${orderId}"}},
               {"name": "mark", "type": "set-data", "values": {"status": "seen"}},
               {"name": "paid", "type": "wait-for-event", "event": "order.paid", "key": "${orderId}", "into": "payment"},
               {"name": "cool", "type": "delay", "duration": "PT10M"},
               {"name": "each", "type": "foreach", "items": "lines", "steps": [{"name": "ship", "type": "log", "params": {"message": "ship"}}]},
               {"name": "route", "type": "decide", "on": "status",
                "branches": {"seen": [{"name": "done", "type": "set-data", "values": {"status": "done"}}]}}]}
            """;

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Workflow builderTwin() {
        return WorkflowBuilder.define("same", "Order", "1.0.0", (Class<Map<String, Object>>) (Class) Map.class)
                .startWith("hello", (d, ctx) -> ExecutionResult.next())
                .then("mark", d -> with(d, "status", "seen"))
                .waitFor("paid", "order.paid", d -> (String) d.get("orderId"), (d, e) -> with(d, "payment", e))
                .delay("cool", Duration.ofMinutes(10))
                .forEach("each", d -> (List<?>) d.get("lines"), f -> f.then("ship", (d, ctx) -> ExecutionResult.next()))
                .decide("route", d -> String.valueOf(d.get("status")), b -> b.when("seen", f -> f.then("done", d -> with(d, "status", "done"))))
                .build();
    }

    private static Map<String, Object> with(Map<String, Object> data, String key, Object value) {
        Map<String, Object> out = new LinkedHashMap<>(data);
        out.put(key, value);
        return out;
    }

    @Test
    void givenJsonAndBuilderDefinitionsOfOneWorkflow_whenEachRuns_thenTheyProduceTheSameChangeEvents() {
        Workflow fromJson = new DefinitionReader(StepTypes.builtIn(), (id, n, k, d) -> { }).read("order.json", JSON);

        List<String> json = run(fromJson);
        List<String> java = run(builderTwin());

        assertThat(json).isEqualTo(java);
        assertThat(json).contains("step.completed:paid", "event.received:paid", "step.completed:ship", "step.completed:done", "completed");
    }

    /** Runs one instance to its end; returns its change events without ids and times. */
    private static List<String> run(Workflow workflow) {
        SettableClock clock = new SettableClock(T0);
        Queue<WorkflowEvent> changes = new ConcurrentLinkedQueue<>();
        MemoryInstanceStore store = new MemoryInstanceStore();
        WorkflowRunnerService runner = WorkflowRunnerService.builder().config(RunnerConfig.defaults().withPollInterval(Duration.ofHours(1)))
                .store(store).eventStore(new MemoryEventStore()).clock(clock).listener(changes::add).workflow(workflow).build();
        runner.initialize().join();
        try {
            String id = runner.startWorkflow("same.Order", null, Map.of("orderId", "o-1", "lines", List.of("a", "b"))).join();
            await().atMost(Duration.ofSeconds(20)).until(() -> changes.stream().anyMatch(e -> e instanceof WorkflowEvent.EventAwaited)
                    && store.load(id).orElseThrow().lease() == null);
            runner.publishEvent("order.paid", "o-1", 12, null).join();
            await().atMost(Duration.ofSeconds(20)).until(() -> store.load(id).filter(i -> i.nextExecution() != null
                    && i.nextExecution().isAfter(clock.instant()) && i.lease() == null).isPresent());
            clock.advance(Duration.ofMinutes(10));
            runner.pollNow();
            WorkflowInstance done = runner.awaitFinished(id).orTimeout(20, TimeUnit.SECONDS).join();
            assertThat(done.status()).isEqualTo(WorkflowStatus.COMPLETE);
            assertThat(done.data()).isEqualTo(Map.of("orderId", "o-1", "lines", List.of("a", "b"), "status", "done", "payment", 12));
            List<String> out = new ArrayList<>();
            for (WorkflowEvent e : changes) {
                out.add(switch (e) {
                    case WorkflowEvent.StepCompleted c -> "step.completed:" + c.step();
                    case WorkflowEvent.EventAwaited a -> "event.awaited:" + a.step() + ":" + a.eventName() + "/" + a.eventKey();
                    case WorkflowEvent.EventReceived r -> "event.received:" + r.step();
                    default -> e.kind();
                });
            }
            return out;
        } finally {
            runner.stop().join();
        }
    }

    @Test
    void givenPublishEventStep_whenItRuns_thenTheWorkflowWaitingForThatEventResumesOnce() {
        String waiter = """
                {"nameSpace": "same", "name": "Waiter", "version": "1.0.0",
                 "steps": [{"name": "wait", "type": "wait-for-event", "event": "order.ready", "key": "${orderId}", "into": "ready"}]}
                """;
        String teller = """
                {"nameSpace": "same", "name": "Teller", "version": "1.0.0",
                 "steps": [{"name": "tell", "type": "publish-event", "event": "order.ready", "key": "${orderId}",
                            "data": {"by": "teller", "order": "${orderId}"}}]}
                """;
        WorkflowRunnerService[] runner = new WorkflowRunnerService[1];
        DefinitionReader reader = new DefinitionReader(StepTypes.builtIn(), EventPublisher.to(() -> runner[0]));
        MemoryInstanceStore store = new MemoryInstanceStore();
        runner[0] = WorkflowRunnerService.builder().config(RunnerConfig.defaults().withPollInterval(Duration.ofHours(1))).store(store)
                .eventStore(new MemoryEventStore()).clock(new SettableClock(T0))
                .workflow(reader.read("waiter.json", waiter)).workflow(reader.read("teller.json", teller)).build();
        runner[0].initialize().join();
        try {
            String waiting = runner[0].startWorkflow("same.Waiter", null, Map.of("orderId", "o-9")).join();
            await().atMost(Duration.ofSeconds(20)).until(() -> store.load(waiting).filter(i -> i.lease() == null
                    && i.pointers().stream().anyMatch(p -> p.isWaiting())).isPresent());

            String telling = runner[0].startWorkflow("same.Teller", null, Map.of("orderId", "o-9")).join();

            assertThat(runner[0].awaitFinished(telling).orTimeout(20, TimeUnit.SECONDS).join().status()).isEqualTo(WorkflowStatus.COMPLETE);
            WorkflowInstance resumed = runner[0].awaitFinished(waiting).orTimeout(20, TimeUnit.SECONDS).join();
            assertThat(resumed.data()).isEqualTo(Map.of("orderId", "o-9", "ready", Map.of("by", "teller", "order", "o-9")));
        } finally {
            runner[0].stop().join();
        }
    }
}
