package net.reactory.workflow.adapter.memory.language;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.application.port.in.FinishTimeoutException;
import net.reactory.workflow.application.port.in.InstanceNotFoundException;
import net.reactory.workflow.application.port.in.WorkflowRunner;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;
import net.reactory.workflow.domain.language.WorkflowBuilder;
import net.reactory.workflow.domain.step.ExecutionResult;

/** Issue 15, point 12: a bounded awaitFinished and the test hooks, all through the WorkflowRunner port. */
class RunnerPortHooksTest extends LanguageFixture {

    record Note(String text) {
    }

    @Test
    void givenAnInstanceThatWaits_whenAwaitedWithATimeout_thenThatCallFailsNamingTheInstance_andOtherWaitersStillGetTheEnd() {
        WorkflowRunner runner = runner(WorkflowBuilder.define("hooks", "Wait", "1.0.0", Note.class)
                .waitFor("go", "go", n -> "k", (n, e) -> new Note("went")).build());
        String id = runner.startWorkflow("hooks.Wait", null, new Note("")).join();
        CompletableFuture<WorkflowInstance> patient = runner.awaitFinished(id);

        assertThatThrownBy(() -> runner.awaitFinished(id, Duration.ofMillis(50)).join())
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(FinishTimeoutException.class)
                .cause().hasMessage("instance " + id + " did not finish within PT0.05S");

        runner.publishEvent("go", "k", null, null).join();
        assertThat(patient.orTimeout(30, TimeUnit.SECONDS).join().status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(runner.awaitFinished(id, Duration.ofSeconds(30)).join().data()).isEqualTo(new Note("went"));
    }

    @Test
    void givenAnUnknownInstanceOrABadTimeout_whenAwaitedWithATimeout_thenEachIsRefusedSayingWhy() {
        WorkflowRunner runner = runner(WorkflowBuilder.define("hooks", "Any", "1.0.0", Note.class).then("a", n -> n).build());

        assertThatThrownBy(() -> runner.awaitFinished("nope", Duration.ofSeconds(5)).join()).hasCauseInstanceOf(InstanceNotFoundException.class);
        assertThatThrownBy(() -> runner.awaitFinished("nope", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("awaitFinished needs a positive timeout, was PT0S");
    }

    @Test
    void givenADelay_whenTheClockMovesAndThePortPollsNow_thenTheInstanceFinishes() {
        WorkflowRunner runner = runner(WorkflowBuilder.define("hooks", "Delay", "1.0.0", Note.class)
                .delay("nap", Duration.ofMinutes(10)).then("after", n -> new Note("awake")).build());
        String id = runner.startWorkflow("hooks.Delay", null, new Note("")).join();
        awaitParked(id);

        clock.advance(Duration.ofMinutes(10));
        assertThat(runner.pollNow()).isEqualTo(1);

        assertThat(runner.awaitFinished(id, WAIT).join().data()).isEqualTo(new Note("awake"));
    }

    @Test
    void givenALongStep_whenHalfItsLeaseHasPassed_thenThePortRenewsItsLease() throws Exception {
        CountDownLatch inStep = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        WorkflowRunner runner = runner(WorkflowBuilder.define("hooks", "Long", "1.0.0", Note.class)
                .then("long", (n, ctx) -> {
                    inStep.countDown();
                    release.await();
                    return ExecutionResult.next();
                }).build());
        String id = runner.startWorkflow("hooks.Long", null, new Note("")).join();
        assertThat(inStep.await(30, TimeUnit.SECONDS)).isTrue();

        assertThat(runner.renewLeasesNow()).as("lease fresh").isZero();
        clock.advance(Duration.ofSeconds(20));
        assertThat(runner.renewLeasesNow()).as("lease past half").isEqualTo(1);
        release.countDown();

        assertThat(runner.awaitFinished(id, WAIT).join().status()).isEqualTo(WorkflowStatus.COMPLETE);
    }
}
