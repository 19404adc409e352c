package net.reactory.workflow.domain.language;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.domain.definition.WorkflowDefinition;
import net.reactory.workflow.domain.instance.ChildResult;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/** Issue 15, point 9: cancel conditions (workflow-core's CancelCondition) on waits, delays, children and containers, on the pure transitions. */
class CancelConditionTest {

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

    private static WorkflowBuilder<Order> flow(String name) {
        return WorkflowBuilder.define("cancel", name, "1.0.0", Order.class);
    }

    private static List<String> log(Drive d) {
        return ((Order) d.instance.data()).log();
    }

    @Test
    void givenAWaitWithACancelCondition_whenAnotherBranchChangesTheDataSoItHolds_thenTheWaitIsGivenUpAndTheFlowGoesOnAfterTheJoin() {
        Drive d = Drive.start(flow("Wait")
                .parallel("both",
                        a -> a.waitFor("approval", "approved", o -> "o-1", (o, e) -> o.note("approved")).cancelWhen(Order::cancelled)
                              .then("never", o -> o.note("never")),
                        b -> b.delay("a while", Duration.ofMinutes(5)).then("customer cancels", Order::cancel))
                .then("after", o -> o.note("after"))
                .build(), OPEN).run();
        assertThat(d.instance.pointers()).anyMatch(p -> p.waitingFor() != null);

        d.runToEnd();

        assertThat(d.instance.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(log(d)).containsExactly("cancel", "after");
        List<WorkflowEvent.StepCancelled> cancelled = d.eventsOf(WorkflowEvent.StepCancelled.class);
        assertThat(cancelled).singleElement().satisfies(c -> {
            assertThat(c.step()).isEqualTo("approval");
            assertThat(c.waitedFor().name()).isEqualTo("approved");
            assertThat(c.waitedFor().key()).isEqualTo("o-1");
        });
        assertThat(d.now).as("no timer of the cancelled branch waited").isEqualTo(Drive.T0.plus(Duration.ofMinutes(5)));
    }

    @Test
    void givenADelayThatProceedsAfterCancel_whenTheConditionComesToHold_thenTheStepAfterTheDelayRunsAtOnce() {
        Drive d = Drive.start(flow("Delay")
                .parallel("both",
                        a -> a.delay("a day", Duration.ofDays(1)).cancelWhen(Order::cancelled, true).then("after delay", o -> o.note("after delay")),
                        b -> b.then("cancel now", Order::cancel))
                .build(), OPEN).runToEnd();

        assertThat(d.instance.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(log(d)).containsExactly("cancel", "after delay");
        assertThat(d.now).isEqualTo(Drive.T0);
    }

    @Test
    void givenAChildStepWithACancelCondition_whenItHolds_thenTheWaitForTheChildIsGivenUpNamingTheChildsReference() {
        Drive d = Drive.start(flow("Child")
                .parallel("both",
                        a -> a.child("charge", "billing.Charge", o -> o, (o, out) -> o.note("charged")).cancelWhen(Order::cancelled),
                        b -> b.delay("later", Duration.ofMinutes(1)).then("cancel", Order::cancel))
                .build(), OPEN).runToEnd();

        assertThat(d.instance.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(d.eventsOf(WorkflowEvent.StepCancelled.class)).singleElement()
                .satisfies(c -> assertThat(c.waitedFor().name()).isEqualTo(ChildResult.EVENT_NAME));
    }

    @Test
    void givenAForeachWithACancelCondition_whenItHolds_thenEveryBranchGoesWithItAndEachWaitIsRecorded() {
        Drive d = Drive.start(flow("Foreach")
                .parallel("both",
                        a -> a.forEach("items", o -> List.of("x", "y"), 0, f -> f.waitFor("shipped", "shipped", (o, ctx) -> "k-" + ctx.item(),
                                (o, ctx) -> null, (o, e) -> o)).cancelWhen(Order::cancelled, true).then("after items", o -> o.note("after items")),
                        b -> b.delay("later", Duration.ofMinutes(1)).then("cancel", Order::cancel))
                .build(), OPEN).runToEnd();

        assertThat(d.instance.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(log(d)).containsExactly("cancel", "after items");
        assertThat(d.eventsOf(WorkflowEvent.StepCancelled.class)).extracting(WorkflowEvent.StepCancelled::step)
                .containsExactlyInAnyOrder("items", "shipped", "shipped");
        assertThat(d.instance.pointers()).isEmpty();
    }

    @Test
    void givenACancelConditionThatHoldsFromTheStart_whenTheWaitIsReached_thenItsBranchEndsThereAsInWorkflowCore() {
        Drive d = Drive.start(flow("Already")
                .waitFor("approval", "approved", o -> "o-1", (o, e) -> o).cancelWhen(Order::cancelled)
                .then("not reached", o -> o.note("not reached"))
                .build(), OPEN.cancel()).runToEnd();

        assertThat(d.instance.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(log(d)).containsExactly("cancel");
    }

    @Test
    void givenAConditionThatDoesNotHoldOrThrows_whenStepsRun_thenTheWaitStays() {
        Drive d = Drive.start(flow("Stays")
                .parallel("both",
                        a -> a.waitFor("approval", "approved", o -> "o-1", (o, e) -> o.note("approved")).cancelWhen(o -> o.log().get(5).isEmpty()),
                        b -> b.then("note", o -> o.note("noted")))
                .build(), OPEN).runToEnd();

        assertThat(d.instance.status()).isEqualTo(WorkflowStatus.RUNNABLE);
        assertThat(d.eventsOf(WorkflowEvent.StepCancelled.class)).isEmpty();

        d.deliver("e-1", "approved", "o-1", null);
        d.runToEnd();

        assertThat(d.instance.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(log(d)).containsExactly("noted", "approved");
    }

    @Test
    void givenTwoOrANullCancelCondition_whenRegistered_thenEachIsReported() {
        var bad = flow("Bad")
                .delay("twice", Duration.ofMinutes(1)).cancelWhen(Order::cancelled).cancelWhen(o -> true)
                .delay("none", Duration.ofMinutes(1)).cancelWhen(null)
                .build();

        assertThatThrownBy(() -> WorkflowDefinition.compile(bad))
                .hasMessageContaining("step 'twice' has two cancel conditions")
                .hasMessageContaining("step 'none' has a null cancel condition");
    }
}
