package net.reactory.workflow.adapter.mongo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import net.reactory.workflow.adapter.memory.MemoryEventStore;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.port.out.LifecycleEventPublisher;
import net.reactory.workflow.application.port.out.RunnerMetrics;
import net.reactory.workflow.application.service.RunnerConfig;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.step.StepBody;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.instance.WorkflowEvent;

/** The three-step workflow of the runner-level tests: each step counts its commit in the workflow data. */
final class ThreeSteps {

    /** Commits per step, carried in the data: exactly-once commits leave (1, 1, 1). */
    record Counts(int a, int b, int c, boolean hold) {
        static Counts zero(boolean hold) {
            return new Counts(0, 0, 0, hold);
        }
    }

    static final String ID = "test.ThreeSteps";

    /** Step bodies executed, per step: at least the commits, more when a body ran on a node that lost its lease. */
    final Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();
    final Set<String> completed = ConcurrentHashMap.newKeySet();
    final AtomicInteger staleWrites = new AtomicInteger();
    final AtomicInteger storeErrors = new AtomicInteger();
    private final List<WorkflowRunnerService> runners = new ArrayList<>();

    Workflow workflow(StepBody middle) {
        return Workflow.of("test", "ThreeSteps", "1.0.0", steps -> steps
                .startWith("A", ctx -> {
                    count("A");
                    Counts c = ctx.data(Counts.class);
                    return ExecutionResult.next(new Counts(c.a() + 1, c.b(), c.c(), c.hold()));
                })
                .then("B", middle)
                .then("C", ctx -> {
                    count("C");
                    Counts c = ctx.data(Counts.class);
                    return ExecutionResult.next(new Counts(c.a(), c.b(), c.c() + 1, c.hold()));
                }));
    }

    StepBody countingB() {
        return ctx -> {
            count("B");
            Counts c = ctx.data(Counts.class);
            return ExecutionResult.next(new Counts(c.a(), c.b() + 1, c.c(), c.hold()));
        };
    }

    void count(String step) {
        executions.computeIfAbsent(step, s -> new AtomicInteger()).incrementAndGet();
    }

    int executed(String step) {
        AtomicInteger n = executions.get(step);
        return n == null ? 0 : n.get();
    }

    RunnerMetrics metrics() {
        return new RunnerMetrics() {
            @Override
            public void staleWrite() {
                staleWrites.incrementAndGet();
            }

            @Override
            public void storeError() {
                storeErrors.incrementAndGet();
            }
        };
    }

    private volatile Runnable onCompleted = () -> { };

    void onCompleted(Runnable action) {
        onCompleted = action;
    }

    LifecycleEventPublisher completions() {
        return events -> {
            for (WorkflowEvent e : events) {
                if (e instanceof WorkflowEvent.WorkflowCompleted && completed.add(e.instanceId())) onCompleted.run();
            }
        };
    }

    WorkflowRunnerService runner(InstanceStore store, String node, Duration lease, Duration poll, StepBody middle) {
        return runner(store, RunnerConfig.defaults().withNodeId(node).withLeaseDuration(lease).withPollInterval(poll), middle, completions());
    }

    WorkflowRunnerService runner(InstanceStore store, RunnerConfig config, StepBody middle, LifecycleEventPublisher publisher) {
        WorkflowRunnerService runner = WorkflowRunnerService.builder()
                .config(config)
                .store(store)
                .eventStore(new MemoryEventStore())
                .metrics(metrics())
                .publisher(publisher)
                .workflow(workflow(middle))
                .build();
        runner.initialize().join();
        runners.add(runner);
        return runner;
    }

    void stopAll() {
        runners.forEach(r -> r.stop().join());
        runners.clear();
    }
}
