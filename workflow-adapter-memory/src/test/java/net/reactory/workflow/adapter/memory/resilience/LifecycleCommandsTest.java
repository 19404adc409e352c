package net.reactory.workflow.adapter.memory.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import net.reactory.workflow.application.port.out.AuditEntry;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.instance.InstanceFinishedException;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/** Acceptance 6: suspend, resume and terminate on running, waiting, sleeping, suspended and finished instances. */
class LifecycleCommandsTest extends ResilienceFixture {

    private final CountDownLatch hold = new CountDownLatch(1);
    private final AtomicInteger holdRuns = new AtomicInteger();
    private WorkflowRunnerService runner;

    @BeforeEach
    void startRunner() {
        runner = runner(
                Workflow.of("res", "Hold", "1.0.0", steps -> steps.startWith("Hold", ctx -> {
                    holdRuns.incrementAndGet();
                    if (!hold.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
                    return ExecutionResult.next();
                }).then("After", ctx -> ExecutionResult.next())),
                Workflow.of("res", "Wait", "1.0.0", steps -> steps.startWith("Wait", ctx -> ExecutionResult.waitForEvent("go", ctx.instanceId(), null))),
                Workflow.of("res", "Sleep", "1.0.0", steps -> steps.startWith("Sleep", ctx ->
                        ctx.persistedState() == null ? ExecutionResult.sleep(Duration.ofHours(1), "slept") : ExecutionResult.next())),
                Workflow.of("res", "Quick", "1.0.0", steps -> steps.startWith("Quick", ctx -> ExecutionResult.next())));
    }

    private String running() {
        String id = start(runner, "res.Hold");
        await().atMost(WAIT).until(() -> holdRuns.get() >= 1 && runner.getState().running() >= 1);
        return id;
    }

    private String waiting() {
        String id = start(runner, "res.Wait");
        awaitInstance(id, i -> i.lease() == null && i.pointers().get(0).isWaiting());
        return id;
    }

    private String sleeping() {
        String id = start(runner, "res.Sleep");
        awaitInstance(id, i -> i.lease() == null && i.pointers().get(0).sleepUntil() != null);
        return id;
    }

    private String suspended() {
        String id = sleeping();
        runner.suspend(id, "set up").join();
        return id;
    }

    private String finished() {
        String id = start(runner, "res.Quick");
        awaitStatus(id, WorkflowStatus.COMPLETE);
        return id;
    }

    private static Throwable cause(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    private void assertRefusedUnchanged(String id, Throwable error, String command) {
        WorkflowInstance before = stored(id);
        assertThat(cause(error)).isInstanceOf(InstanceFinishedException.class).hasMessageContaining("already finished as COMPLETE");
        assertThat(stored(id)).isEqualTo(before);
        assertThat(audit.recent(1)).singleElement().satisfies(e -> {
            assertThat(e.command()).isEqualTo(command);
            assertThat(e.outcome()).isEqualTo("refused");
            assertThat(e.detail()).contains("already finished");
        });
    }

    @Test
    void givenEachState_whenSuspended_thenRunningWaitingSleepingSuspendAndSuspendedUnchangedAndFinishedRefused() {
        String running = running();
        String waiting = waiting();
        String sleeping = sleeping();
        String suspended = suspended();
        String finished = finished();
        long suspendedRevision = stored(suspended).revision();

        assertThat(runner.suspend(running, "ops").join().status()).isEqualTo(WorkflowStatus.SUSPENDED);
        assertThat(runner.suspend(waiting, "ops").join().pointers().get(0).isWaiting()).isTrue();
        assertThat(runner.suspend(sleeping, "ops").join().pointers().get(0).sleepUntil()).isEqualTo(T0.plusSeconds(3600));
        assertThat(runner.suspend(suspended, "again").join().revision()).as("idempotent").isEqualTo(suspendedRevision);
        assertRefusedUnchanged(finished, catchThrowable(() -> runner.suspend(finished, "late").join()), "suspend");

        hold.countDown();
        awaitIdle(runner);
        assertThat(stored(running).status()).as("the running step's result is dropped, the suspension kept").isEqualTo(WorkflowStatus.SUSPENDED);
        for (String id : new String[] {waiting, sleeping, suspended}) assertThat(stored(id).status()).isEqualTo(WorkflowStatus.SUSPENDED);
        clock.advance(Duration.ofHours(2));
        assertThat(runner.pollNow()).as("suspended instances are never claimed").isZero();
    }

    @Test
    void givenEachState_whenResumed_thenRunnableOnesUnchangedSuspendedRunsOnAndFinishedRefused() {
        String running = running();
        String waiting = waiting();
        String sleeping = sleeping();
        String suspended = suspended();
        String finished = finished();
        long waitingRevision = stored(waiting).revision();
        long sleepingRevision = stored(sleeping).revision();

        assertThat(runner.resume(running).join().status()).isEqualTo(WorkflowStatus.RUNNABLE);
        assertThat(runner.resume(waiting).join().revision()).isEqualTo(waitingRevision);
        assertThat(runner.resume(sleeping).join().revision()).isEqualTo(sleepingRevision);
        WorkflowInstance resumed = runner.resume(suspended).join();
        assertRefusedUnchanged(finished, catchThrowable(() -> runner.resume(finished).join()), "resume");

        assertThat(resumed.status()).isEqualTo(WorkflowStatus.RUNNABLE);
        assertThat(resumed.nextExecution()).as("still sleeps until its time").isEqualTo(T0.plusSeconds(3600));
        hold.countDown();
        awaitStatus(running, WorkflowStatus.COMPLETE);
        clock.advance(Duration.ofHours(1));
        runner.pollNow();
        awaitStatus(suspended, WorkflowStatus.COMPLETE);
        awaitStatus(sleeping, WorkflowStatus.COMPLETE);
    }

    @Test
    void givenEachState_whenTerminated_thenAllButFinishedEndTerminatedTwiceIsNoOpAndCompleteRefused() {
        String running = running();
        String waiting = waiting();
        String sleeping = sleeping();
        String suspended = suspended();
        String finished = finished();

        for (String id : new String[] {running, waiting, sleeping, suspended}) {
            WorkflowInstance t = runner.terminate(id, "ops").join();
            assertThat(t.status()).isEqualTo(WorkflowStatus.TERMINATED);
            assertThat(t.completedAt()).isEqualTo(T0);
            assertThat(runner.terminate(id, "again").join().revision()).as("terminating twice changes nothing").isEqualTo(t.revision());
        }
        assertRefusedUnchanged(finished, catchThrowable(() -> runner.terminate(finished, "late").join()), "terminate");

        hold.countDown();
        awaitIdle(runner);
        assertThat(stored(running).status()).isEqualTo(WorkflowStatus.TERMINATED);
        assertThat(audit.recent(100)).filteredOn(e -> e.command().equals("terminate") && e.outcome().equals("accepted"))
                .extracting(AuditEntry::target).contains(running, waiting, sleeping, suspended);
    }
}
