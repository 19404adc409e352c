package net.reactory.workflow.adapter.memory.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.application.port.in.InstanceFilter;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.step.StepBody;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/** Acceptance 9: no more than maxConcurrent step bodies at once, measured, globally and per definition. */
class ConcurrencyLimitsTest extends ResilienceFixture {

    private static final int INSTANCES = 60;

    private final AtomicInteger current = new AtomicInteger();
    private final AtomicInteger highest = new AtomicInteger();

    /** A step that does two milliseconds of work while counting how many run beside it. */
    private final StepBody measured = ctx -> {
        int now = current.incrementAndGet();
        highest.accumulateAndGet(now, Math::max);
        LockSupport.parkNanos(2_000_000);
        current.decrementAndGet();
        return ExecutionResult.next();
    };

    private void startAllAndAwait(WorkflowRunnerService runner, String workflow) {
        List<CompletableFuture<String>> started = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) started.add(runner.startWorkflow(workflow, null, Map.of()));
        started.forEach(CompletableFuture::join);
        await().atMost(WAIT).until(() -> store.query(InstanceFilter.byStatus(WorkflowStatus.COMPLETE, 1000)).size() == INSTANCES);
    }

    @Test
    void givenGlobalMaxConcurrentFour_whenSixtyInstancesStartAtOnce_thenAtMostFourBodiesEverRanTogether() {
        Workflow work = Workflow.of("res", "Work", "1.0.0", steps -> steps.startWith("A", measured).then("B", measured));
        WorkflowRunnerService runner = runner(config().withMaxConcurrent(4), store, null, work);

        startAllAndAwait(runner, "res.Work");

        assertThat(highest.get()).isLessThanOrEqualTo(4).isGreaterThan(1);
    }

    @Test
    void givenDefinitionMaxConcurrentThree_whenSixtyInstancesStartAtOnce_thenAtMostThreeOfItsBodiesRanTogether() {
        Workflow work = Workflow.of("res", "Limited", "1.0.0", steps -> steps.startWith("A", measured).then("B", measured))
                .withProps(Map.of("maxConcurrent", 3));
        WorkflowRunnerService runner = runner(config().withMaxConcurrent(64), store, null, work);

        startAllAndAwait(runner, "res.Limited");

        assertThat(highest.get()).isLessThanOrEqualTo(3).isGreaterThan(1);
    }
}
