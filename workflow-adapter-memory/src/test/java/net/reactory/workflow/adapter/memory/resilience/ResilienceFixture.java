package net.reactory.workflow.adapter.memory.resilience;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;

import net.reactory.workflow.adapter.memory.MemoryEventStore;
import net.reactory.workflow.adapter.memory.MemoryAuditLog;
import net.reactory.workflow.adapter.memory.MemoryInstanceStore;
import net.reactory.workflow.application.port.in.StartRequest;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.port.out.WorkSignal;
import net.reactory.workflow.application.service.ResilienceConfig;
import net.reactory.workflow.application.service.RunnerConfig;
import net.reactory.workflow.application.service.SettableClock;
import net.reactory.workflow.application.service.WorkflowRunnerBuilder;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/** Runners on the memory store with a settable clock; the poller is parked, tests call {@code pollNow()}. */
abstract class ResilienceFixture {

    static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    static final Duration WAIT = Duration.ofSeconds(20);

    static {
        org.awaitility.Awaitility.setDefaultPollInterval(Duration.ofMillis(5));
        org.awaitility.Awaitility.setDefaultPollDelay(Duration.ZERO);
    }

    final SettableClock clock = new SettableClock(T0);
    final MemoryInstanceStore store = new MemoryInstanceStore();
    final MemoryAuditLog audit = new MemoryAuditLog();
    private final List<WorkflowRunnerService> runners = new ArrayList<>();

    @AfterEach
    void stopRunners() {
        runners.forEach(r -> r.stop().join());
    }

    RunnerConfig config() {
        return RunnerConfig.defaults().withPollInterval(Duration.ofHours(1))
                .withResilience(ResilienceConfig.defaults().withRetryJitter(0));
    }

    WorkflowRunnerService runner(Workflow... workflows) {
        return runner(config(), store, null, workflows);
    }

    WorkflowRunnerService runner(RunnerConfig config, InstanceStore on, WorkSignal signal, Workflow... workflows) {
        WorkflowRunnerBuilder builder = WorkflowRunnerService.builder().config(config).store(on).eventStore(new MemoryEventStore()).clock(clock).auditLog(audit)
                .workflows(List.of(workflows));
        if (signal != null) builder.workSignal(signal);
        return initialized(builder);
    }

    /** Builds, keeps for stopping after the test, and initializes. */
    WorkflowRunnerService initialized(WorkflowRunnerBuilder builder) {
        WorkflowRunnerService runner = builder.build();
        runners.add(runner);
        runner.initialize().join();
        return runner;
    }

    String start(WorkflowRunnerService runner, String workflow) {
        return runner.startWorkflow(workflow, null, Map.of()).join();
    }

    String start(WorkflowRunnerService runner, String workflow, String reference) {
        return runner.startWorkflow(new StartRequest(workflow, null, Map.of(), reference, "tester", "api")).join();
    }

    WorkflowInstance stored(String id) {
        return store.load(id).orElseThrow();
    }

    WorkflowInstance awaitInstance(String id, Predicate<WorkflowInstance> condition) {
        await().atMost(WAIT).until(() -> store.load(id).filter(condition).isPresent());
        return stored(id);
    }

    WorkflowInstance awaitStatus(String id, WorkflowStatus status) {
        return awaitInstance(id, i -> i.status() == status && i.lease() == null);
    }

    /** Nothing of this runner is in flight: no thread holds any of its instances. */
    void awaitIdle(WorkflowRunnerService runner) {
        await().atMost(WAIT).until(() -> runner.getState().running() == 0);
    }
}
