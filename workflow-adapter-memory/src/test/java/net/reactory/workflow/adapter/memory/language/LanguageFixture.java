package net.reactory.workflow.adapter.memory.language;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;

import net.reactory.workflow.adapter.memory.MemoryEventStore;
import net.reactory.workflow.adapter.memory.MemoryInstanceStore;
import net.reactory.workflow.application.service.RunnerConfig;
import net.reactory.workflow.application.service.SettableClock;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/**
 * A runner on the memory stores with a settable clock. The poller is parked (one hour): timers fire only
 * when a test moves the clock and calls {@code pollNow()}; everything else must happen without a poll.
 */
abstract class LanguageFixture {

    static final Instant T0 = Instant.parse("2026-04-01T08:00:00Z");
    static final Duration WAIT = Duration.ofSeconds(30);

    static {
        org.awaitility.Awaitility.setDefaultPollInterval(Duration.ofMillis(2));
        org.awaitility.Awaitility.setDefaultPollDelay(Duration.ZERO);
    }

    final SettableClock clock = new SettableClock(T0);
    final MemoryInstanceStore store = new MemoryInstanceStore();
    final MemoryEventStore events = new MemoryEventStore();
    final Queue<WorkflowEvent> changes = new ConcurrentLinkedQueue<>();
    private final List<WorkflowRunnerService> runners = new ArrayList<>();

    @AfterEach
    void stopRunners() {
        runners.forEach(r -> r.stop().join());
    }

    WorkflowRunnerService runner(Workflow... workflows) {
        return runner(RunnerConfig.defaults().withPollInterval(Duration.ofHours(1)), workflows);
    }

    WorkflowRunnerService runner(RunnerConfig config, Workflow... workflows) {
        WorkflowRunnerService runner = WorkflowRunnerService.builder().config(config).store(store).eventStore(events).clock(clock)
                .listener(changes::add).workflows(List.of(workflows)).build();
        runners.add(runner);
        runner.initialize().join();
        return runner;
    }

    String start(WorkflowRunnerService runner, String workflow, Object data) {
        return runner.startWorkflow(workflow, null, data).join();
    }

    WorkflowInstance stored(String id) {
        return store.load(id).orElseThrow();
    }

    WorkflowInstance awaitInstance(String id, Predicate<WorkflowInstance> condition) {
        await().atMost(WAIT).until(() -> store.load(id).filter(i -> i.lease() == null && condition.test(i)).isPresent());
        return stored(id);
    }

    WorkflowInstance awaitStatus(String id, WorkflowStatus status) {
        return awaitInstance(id, i -> i.status() == status);
    }

    WorkflowInstance awaitFinished(WorkflowRunnerService runner, String id) {
        return runner.awaitFinished(id).orTimeout(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).join();
    }

    /** Parked: nothing due now, only sleeping or waiting pointers. */
    WorkflowInstance awaitParked(String id) {
        return awaitInstance(id, i -> i.status() == WorkflowStatus.RUNNABLE && (i.nextExecution() == null || i.nextExecution().isAfter(clock.instant())));
    }

    /** Moves the clock and lets the poller pick up what became due. */
    void advance(WorkflowRunnerService runner, Duration by) {
        clock.advance(by);
        runner.pollNow();
    }

    <T extends WorkflowEvent> List<T> changesOf(String instanceId, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (WorkflowEvent e : changes) if (e.instanceId().equals(instanceId) && type.isInstance(e)) out.add(type.cast(e));
        return out;
    }
}
