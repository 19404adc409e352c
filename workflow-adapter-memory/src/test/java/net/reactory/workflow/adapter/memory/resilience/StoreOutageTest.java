package net.reactory.workflow.adapter.memory.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.application.port.out.AuditEntry;
import net.reactory.workflow.application.port.in.InstanceFilter;
import net.reactory.workflow.application.port.out.StoreUnavailableException;
import net.reactory.workflow.application.service.ResilienceConfig;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/** Acceptance 4: a store that throws on every call for a while. */
class StoreOutageTest extends ResilienceFixture {

    private static final int HELD = 20;
    private static final int SLEEPING = 30;

    @Test
    void givenStoreDownWhileStepsRunAndOthersSleep_whenItRecovers_thenRunnerNeverCrashedClaimedNothingLostNothingAndAllComplete() throws Exception {
        FaultyStore faulty = new FaultyStore(store);
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger gateRuns = new AtomicInteger();
        AtomicInteger napRuns = new AtomicInteger();
        Workflow gated = Workflow.of("res", "Gated", "1.0.0", steps -> steps
                .startWith("Gate", ctx -> {
                    gateRuns.incrementAndGet();
                    if (!gate.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("gate never opened");
                    return ExecutionResult.next();
                })
                .then("Done", ctx -> ExecutionResult.next()));
        Workflow napper = Workflow.of("res", "Napper", "1.0.0", steps -> steps
                .startWith("Nap", ctx -> {
                    napRuns.incrementAndGet();
                    return ctx.persistedState() == null ? ExecutionResult.sleep(Duration.ofSeconds(10), "slept") : ExecutionResult.next();
                }));
        WorkflowRunnerService runner = runner(config().withResilience(ResilienceConfig.defaults().withRetryJitter(0)
                .withStoreBreaker(3, Duration.ofMillis(100))), faulty, null, gated, napper);
        List<String> held = new ArrayList<>();
        List<String> sleeping = new ArrayList<>();
        for (int i = 0; i < SLEEPING; i++) sleeping.add(start(runner, "res.Napper"));
        for (int i = 0; i < HELD; i++) held.add(start(runner, "res.Gated"));
        await().atMost(WAIT).until(() -> gateRuns.get() == HELD);
        for (String id : sleeping) awaitInstance(id, i -> i.lease() == null && i.pointers().get(0).sleepUntil() != null);

        faulty.down.set(true);
        gate.countDown();
        await().atMost(WAIT).until(() -> runner.breakerStates().get("store").state().equals("OPEN"));
        clock.advance(Duration.ofSeconds(10));
        int claimedWhileDown = 0;
        for (int poll = 0; poll < 5; poll++) claimedWhileDown += runner.pollNow();
        Throwable refusedStart = catchThrowable(() -> runner.startWorkflow("res.Napper", null, Map.of()).join());

        assertThat(claimedWhileDown).as("no new claims while the store is down").isZero();
        assertThat(runner.isInitialized()).isTrue();
        assertThat(runner.getState().running()).as("the gated instances are held in memory, not dropped").isEqualTo(HELD);
        assertThat(refusedStart).hasRootCauseInstanceOf(StoreUnavailableException.class);
        assertThat(audit.recent(5)).anySatisfy(e -> assertThat(e).extracting(AuditEntry::command, AuditEntry::outcome)
                .containsExactly("start", "refused"));

        faulty.down.set(false);
        awaitIdle(runner);
        runner.pollNow();
        await().atMost(WAIT).until(() -> store.query(InstanceFilter.byStatus(WorkflowStatus.COMPLETE, 100)).size() == HELD + SLEEPING);

        assertThat(gateRuns).as("no step ran twice: what the node held was saved, not lost").hasValue(HELD);
        assertThat(napRuns).hasValue(2 * SLEEPING);
        assertThat(store.size()).isEqualTo(HELD + SLEEPING);
        assertThat(runner.breakerStates().get("store").state()).isEqualTo("CLOSED");
        for (String id : held) assertThat(stored(id).status()).isEqualTo(WorkflowStatus.COMPLETE);
        WorkflowInstance anyNapper = stored(sleeping.get(0));
        assertThat(anyNapper.completedAt()).isEqualTo(T0.plusSeconds(10));
    }
}
