package net.reactory.workflow.adapter.memory.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import net.reactory.workflow.adapter.memory.MemoryEventStore;
import net.reactory.workflow.adapter.memory.MemoryInstanceStore;
import net.reactory.workflow.application.port.in.InstanceFilter;
import net.reactory.workflow.application.service.ResilienceConfig;
import net.reactory.workflow.application.service.RunnerConfig;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.definition.RetrySpec;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/**
 * Acceptance 3: a dependency failing every call opens its breaker; 1,000 instances needing it are parked,
 * none fails; once it recovers all complete. On the wall clock: Failsafe's breaker delay runs on it.
 */
class DependencyBreakerTest {

    private static final int INSTANCES = 1_000;

    private final MemoryInstanceStore store = new MemoryInstanceStore();
    private final AtomicBoolean paymentsUp = new AtomicBoolean(false);
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger charged = new AtomicInteger();
    private WorkflowRunnerService runner;

    @AfterEach
    void stop() {
        if (runner != null) runner.stop().join();
    }

    @Test
    void givenPaymentsFailingEveryCall_when1000InstancesNeedIt_thenBreakerOpensAllParkedNoneFailsAndAllCompleteAfterRecovery() {
        Workflow checkout = Workflow.of("res", "Checkout", "1.0.0", steps -> steps
                .startWith("Charge", ctx -> {
                    calls.incrementAndGet();
                    if (!paymentsUp.get()) throw new IOException("payments: connection refused");
                    charged.incrementAndGet();
                    return ExecutionResult.next();
                }).dependsOn("payments").maxAttempts(5).retry(RetrySpec.backoff(Duration.ofMillis(20), Duration.ofMillis(100)))
                .then("Confirm", ctx -> ExecutionResult.next()));
        runner = WorkflowRunnerService.builder()
                .config(RunnerConfig.defaults().withPollInterval(Duration.ofMillis(50)).withResilience(ResilienceConfig.defaults()
                        .withBreaker(5, Duration.ofMillis(400)).withParkRecheck(Duration.ofMillis(50))))
                .store(store).eventStore(new MemoryEventStore()).clock(InstantSource.system()).workflow(checkout).build();
        runner.initialize().join();

        List<CompletableFuture<String>> started = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) started.add(runner.startWorkflow("res.Checkout", null, Map.of("order", i)));
        List<String> ids = started.stream().map(CompletableFuture::join).toList();
        long t0 = System.nanoTime();

        await().atMost(Duration.ofSeconds(20)).until(() -> "OPEN".equals(runner.breakerStates().get("payments").state()));
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> ids.stream().allMatch(id -> parked(store.load(id).orElseThrow())));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("not parked: " + ids.stream().map(id -> store.load(id).orElseThrow()).filter(i -> !parked(i)).limit(3).toList()
                    + " running=" + runner.getState().running(), e);
        }
        System.out.println("TIMING parked after ms " + (System.nanoTime() - t0) / 1_000_000);
        List<WorkflowInstance> whileDown = store.query(InstanceFilter.all(INSTANCES + 1));
        assertThat(whileDown).hasSize(INSTANCES).allSatisfy(i -> assertThat(i.status()).isEqualTo(WorkflowStatus.RUNNABLE));
        long countedFailures = whileDown.stream().mapToLong(i -> i.errors().size()).sum();
        assertThat(countedFailures).as("only the failures before the breaker opened (threshold 5) count as attempts").isLessThan(5);
        int callsWhileOpen = calls.get();

        paymentsUp.set(true);
        await().atMost(Duration.ofSeconds(60)).until(() -> store.query(InstanceFilter.byStatus(WorkflowStatus.COMPLETE, INSTANCES + 1)).size() == INSTANCES);

        System.out.println("TIMING complete after ms " + (System.nanoTime() - t0) / 1_000_000);
        assertThat(store.query(InstanceFilter.byStatus(WorkflowStatus.FAILED, 10))).isEmpty();
        assertThat(charged).hasValue(INSTANCES);
        assertThat(callsWhileOpen).as("parked steps do not call the dependency").isLessThan(INSTANCES * 3);
        assertThat(runner.breakerStates().get("payments").state()).isEqualTo("CLOSED");
    }

    /**
     * Sleeping on its first step with attempts left. At most four failures (below the threshold of five) are ever
     * counted, so with five attempts no instance can use them all up, however the failures fall.
     */
    private static boolean parked(WorkflowInstance i) {
        return i.status() == WorkflowStatus.RUNNABLE && i.pointers().size() == 1 && i.pointers().get(0).stepId() == 0
                && i.pointers().get(0).sleepUntil() != null && i.pointers().get(0).attempt() <= 5;
    }
}
