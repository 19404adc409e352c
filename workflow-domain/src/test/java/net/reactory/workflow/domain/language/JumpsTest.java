package net.reactory.workflow.domain.language;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.domain.definition.InvalidWorkflowException;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.definition.WorkflowDefinition;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/** Issue 15, point 10: goTo (workflow-core's Attach) in the typed builder. */
class JumpsTest {

    record Count(int n, List<String> log) {
        Count note(String s) {
            List<String> more = new ArrayList<>(log);
            more.add(s);
            return new Count(n, more);
        }

        Count inc() {
            return new Count(n + 1, log);
        }
    }

    private static WorkflowBuilder<Count> flow(String name) {
        return WorkflowBuilder.define("jump", name, "1.0.0", Count.class);
    }

    private static final Count ZERO = new Count(0, List.of());

    @Test
    void givenAnIfWhoseBlockGoesBack_whenRun_thenTheStepsBetweenRunAgainUntilTheConditionFails() {
        Workflow wf = flow("Back")
                .startWith("begin", c -> c.note("begin"))
                .then("inc", Count::inc)
                .ifThen("again?", c -> c.n() < 3, f -> f.then("loop", c -> c.note("loop " + c.n())).goTo("inc"))
                .then("done", c -> c.note("done"))
                .build();

        Drive d = Drive.start(wf, ZERO).runToEnd();

        assertThat(d.instance.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(((Count) d.instance.data()).log()).containsExactly("begin", "loop 1", "loop 2", "done");
        assertThat(d.completedSteps()).containsExactly("begin", "inc", "again?", "loop", "inc", "again?", "loop", "inc", "again?", "done");
    }

    @Test
    void givenADecideBranchThatSkipsForward_whenChosen_thenTheStepsBetweenAreSkipped_andOtherwiseTheyRun() {
        Workflow wf = flow("Skip")
                .decide("route", Count::n, b -> b.when(1, f -> f.then("express", c -> c.note("express")).attach("ship")))
                .then("wrap", c -> c.note("wrap"))
                .then("ship", c -> c.note("ship"))
                .build();

        Drive express = Drive.start(wf, new Count(1, List.of())).runToEnd();
        Drive normal = Drive.start(wf, ZERO).runToEnd();

        assertThat(((Count) express.instance.data()).log()).containsExactly("express", "ship");
        assertThat(((Count) normal.instance.data()).log()).containsExactly("wrap", "ship");
    }

    @Test
    void givenGoToAfterADecide_whenNoBranchMatches_thenTheDecideItselfContinuesThere_andSoDoesAChosenBranch() {
        Workflow wf = flow("DecideJump")
                .then("inc", Count::inc)
                .ifThen("more?", c -> c.n() < 3, f -> f
                        .decide("route", Count::n, b -> b.when(2, x -> x.then("two", c -> c.note("two")))).goTo("inc"))
                .then("done", c -> c.note("done"))
                .build();

        Drive d = Drive.start(wf, ZERO).runToEnd();

        assertThat(((Count) d.instance.data()).log()).containsExactly("two", "done");
        assertThat(d.completedSteps()).containsExactly("inc", "more?", "route", "inc", "more?", "route", "two", "inc", "more?", "done");
    }

    @Test
    void givenAJumpToAnUnknownStep_whenRegistered_thenItIsRefusedNamingBothSteps() {
        Workflow wf = flow("Unknown").then("a", c -> c).goTo("nowhere").build();

        assertThatThrownBy(() -> WorkflowDefinition.compile(wf))
                .isInstanceOf(InvalidWorkflowException.class)
                .hasMessageContaining("step 'a' continues at unknown step 'nowhere'");
    }

    @Test
    void givenJumpsOutOfAndIntoAForeach_whenRegistered_thenBothAreRefused() {
        Workflow wf = flow("Scoped")
                .then("top", c -> c)
                .forEach("each", c -> List.of(1, 2), f -> f.then("inner", c -> c).goTo("top"))
                .ifThen("back in?", c -> false, f -> f.then("jumper", c -> c).goTo("inner"))
                .build();

        assertThatThrownBy(() -> WorkflowDefinition.compile(wf))
                .hasMessageContaining("step 'inner' goes to 'top', which is in another block")
                .hasMessageContaining("step 'jumper' goes to 'inner', which is in another block");
    }

    @Test
    void givenGoToWithoutATarget_orBeforeAnyStep_whenRegistered_thenEachIsReported() {
        Workflow wf = flow("Blank").goTo("x").then("a", c -> c).goTo(" ").build();

        assertThatThrownBy(() -> WorkflowDefinition.compile(wf))
                .hasMessageContaining("goTo has no step before it")
                .hasMessageContaining("step 'a' goes to a step with no name");
    }
}
