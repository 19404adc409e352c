package net.reactory.workflow.adapter.memory.language;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.application.port.in.InstanceFilter;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;
import net.reactory.workflow.domain.language.WorkflowBuilder;

/** Issue 15, point 9 on the runner: a cancelled wait leaves no subscription behind, a cancelled child step terminates its child. */
class CancelConditionEndToEndTest extends LanguageFixture {

    record Order(boolean cancelled, List<String> log) {
        Order note(String s) {
            List<String> more = new ArrayList<>(log);
            more.add(s);
            return new Order(cancelled, more);
        }

        Order cancel() {
            return new Order(true, log).note("cancel");
        }
    }

    private static final Order OPEN = new Order(false, List.of());

    @Test
    void givenAWaitCancelledByAnotherBranch_whenItsConditionHolds_thenItsSubscriptionIsRemovedAndTheWorkflowGoesOn() {
        Workflow wf = WorkflowBuilder.define("e2e", "CancelWait", "1.0.0", Order.class)
                .parallel("both",
                        a -> a.waitFor("approval", "approved", o -> "o-1", (o, e) -> o.note("approved")).cancelWhen(Order::cancelled),
                        b -> b.delay("an hour", Duration.ofHours(1)).then("customer cancels", Order::cancel))
                .then("after", o -> o.note("after"))
                .build();
        WorkflowRunnerService runner = runner(wf);
        String id = start(runner, "e2e.CancelWait", OPEN);
        awaitParked(id);
        assertThat(events.subscriptionsFor("approved", "o-1", clock.instant())).hasSize(1);

        advance(runner, Duration.ofHours(1));
        WorkflowInstance done = awaitFinished(runner, id);

        assertThat(done.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(((Order) done.data()).log()).containsExactly("cancel", "after");
        assertThat(events.subscriptionsFor("approved", "o-1", clock.instant())).isEmpty();
        assertThat(changesOf(id, WorkflowEvent.StepCancelled.class)).extracting(WorkflowEvent.StepCancelled::step).containsExactly("approval");
    }

    @Test
    void givenAChildStepCancelledByAnotherBranch_whenItsConditionHolds_thenTheChildIsTerminatedAndTheParentGoesOn() {
        Workflow child = WorkflowBuilder.define("e2e", "SlowCharge", "1.0.0", Order.class)
                .waitFor("bank", "bank.answer", o -> "never", (o, e) -> o).build();
        Workflow parent = WorkflowBuilder.define("e2e", "CancelChild", "1.0.0", Order.class)
                .parallel("both",
                        a -> a.child("charge", "e2e.SlowCharge", o -> o, (o, out) -> o.note("charged")).cancelWhen(Order::cancelled, true)
                              .then("after charge", o -> o.note("after charge")),
                        b -> b.delay("an hour", Duration.ofHours(1)).then("customer cancels", Order::cancel))
                .build();
        WorkflowRunnerService runner = runner(child, parent);
        String id = start(runner, "e2e.CancelChild", OPEN);
        await().atMost(WAIT).until(() -> runner.queryInstances(InstanceFilter.all(10)).size() == 2);

        advance(runner, Duration.ofHours(1));
        WorkflowInstance done = awaitFinished(runner, id);

        assertThat(((Order) done.data()).log()).containsExactlyInAnyOrder("cancel", "after charge");
        WorkflowInstance charge = runner.queryInstances(InstanceFilter.all(10)).stream().filter(i -> !i.id().equals(id)).findFirst().orElseThrow();
        assertThat(awaitFinished(runner, charge.id()).status()).isEqualTo(WorkflowStatus.TERMINATED);
    }
}
