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
import net.reactory.workflow.domain.step.ExecutionResult;

/** Issue 15, defect 2: every branch whose value matches runs, side by side, as in workflow-core. */
class SeveralBranchesPerOutcomeTest {

    record Log(int value, List<String> lines) {
        Log {
            lines = List.copyOf(lines);
        }

        Log note(String line) {
            List<String> more = new ArrayList<>(lines);
            more.add(line);
            return new Log(value, more);
        }
    }

    private static WorkflowBuilder<Log> flow(String name) {
        return WorkflowBuilder.define("outcomes", name, "1.0.0", Log.class);
    }

    private static List<String> lines(Drive d) {
        return ((Log) d.instance.data()).lines();
    }

    @Test
    void givenTwoTypedBranchesForOneValue_whenTheSelectorReturnsIt_thenBothRunSideBySideAndTheFlowGoesOnOnce() {
        Workflow wf = flow("Typed")
                .decide("route", Log::value, d -> d
                        .when(2, a -> a.then("a1", l -> l.note("a1")).then("a2", l -> l.note("a2")))
                        .when(2, b -> b.then("b1", l -> l.note("b1")))
                        .when(3, c -> c.then("c1", l -> l.note("c1"))))
                .then("after", l -> l.note("after"))
                .build();

        Drive d = Drive.start(wf, new Log(2, List.of())).runToEnd();

        assertThat(d.instance.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(lines(d)).containsExactlyInAnyOrder("a1", "a2", "b1", "after");
        assertThat(lines(d)).endsWith("after").containsSubsequence("a1", "a2");
        assertThat(d.maxLivePointers).as("the two branches were live at once, beside their join").isGreaterThanOrEqualTo(3);
    }

    @Test
    void givenTwoTypedBranchesForOneValue_whenAnotherValueIsChosen_thenNeitherRuns() {
        Workflow wf = flow("TypedOther")
                .decide("route", Log::value, d -> d
                        .when(2, a -> a.then("a1", l -> l.note("a1")))
                        .when(2, b -> b.then("b1", l -> l.note("b1")))
                        .when(3, c -> c.then("c1", l -> l.note("c1"))))
                .then("after", l -> l.note("after"))
                .build();

        Drive d = Drive.start(wf, new Log(3, List.of())).runToEnd();

        assertThat(lines(d)).containsExactly("c1", "after");
    }

    @Test
    void givenTwoByNameTargetsForOneOutcome_whenChosen_thenBothStartAndEachGoesOnWhereItsChainGoes() {
        Workflow wf = Workflow.of("outcomes", "ByName", "1.0.0", s -> s
                .startWith("route", ctx -> ExecutionResult.outcome(2))
                .onOutcome(2, "a").onOutcome(2, "b").onOutcome(3, "c")
                .step("a", ctx -> ExecutionResult.next(ctx.data(Log.class).note("a")))
                .step("b", ctx -> ExecutionResult.next(ctx.data(Log.class).note("b")))
                .step("c", ctx -> ExecutionResult.next(ctx.data(Log.class).note("c"))));

        Drive d = Drive.start(wf, new Log(0, List.of())).runToEnd();

        assertThat(d.instance.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(lines(d)).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void givenTheSameByNameTargetTwiceForOneOutcome_whenRegistered_thenRefusedNamingStepTargetAndValue() {
        Workflow wf = Workflow.of("outcomes", "Twice", "1.0.0", s -> s
                .startWith("route", ctx -> ExecutionResult.outcome(2))
                .onOutcome(2, "a").onOutcome(2, "a")
                .step("a", ctx -> ExecutionResult.next()));

        assertThatThrownBy(() -> WorkflowDefinition.compile(wf)).isInstanceOf(InvalidWorkflowException.class)
                .hasMessageContaining("step 'route' branches to 'a' twice on outcome '2'");
    }

    @Test
    void givenABranchForTheNullOutcome_whenRegistered_thenRefusedAsNeverChosen() {
        Workflow wf = flow("NullBranch")
                .decide("route", Log::value, d -> d.when(null, a -> a.then("a1", l -> l)))
                .build();

        assertThatThrownBy(() -> WorkflowDefinition.compile(wf)).isInstanceOf(InvalidWorkflowException.class)
                .hasMessageContaining("a branch for the outcome null can never be chosen");
    }
}
