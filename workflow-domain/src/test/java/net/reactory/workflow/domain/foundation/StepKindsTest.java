package net.reactory.workflow.domain.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.domain.definition.StepDefinition;
import net.reactory.workflow.domain.definition.StepKind;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.language.WorkflowBuilder;
import net.reactory.workflow.domain.definition.WorkflowDefinition;

/** Each builder word marks the step it writes with its kind, so that a definition can be drawn as it was written. */
class StepKindsTest {

    private static final UnaryOperator<String> SAME = s -> s;

    @Test
    void givenAWorkflowUsingEveryWord_whenCompiled_thenEachStepCarriesTheKindOfTheWordThatMadeIt() {
        Workflow workflow = WorkflowBuilder.define("k", "All", "1.0.0", String.class)
                .startWith("Plain", SAME)
                .decide("Route", s -> s, d -> d.when("a", b -> b.then("A", SAME)))
                .ifThen("Maybe", s -> true, b -> b.then("B", SAME))
                .whileDo("Loop", s -> false, b -> b.then("C", SAME))
                .forEach("Each", s -> List.of(1), b -> b.then("D", SAME))
                .parallel("Both", b -> b.then("E", SAME), b -> b.then("F", SAME))
                .saga("Pay", b -> b.then("Charge", SAME).compensateWith("Refund", SAME))
                .delay("Cool", Duration.ofSeconds(1))
                .schedule("Later", s -> Duration.ofSeconds(1), b -> b.then("G", SAME))
                .recur("Again", s -> Duration.ofSeconds(1), s -> true, b -> b.then("H", SAME))
                .waitFor("Paid", "paid", s -> s, (s, e) -> s)
                .child("Sub", "k.Other", s -> s, (s, r) -> s)
                .then("Stop", SAME).kind(StepKind.END)
                .build();

        WorkflowDefinition d = WorkflowDefinition.compile(workflow);

        Map<String, StepKind> expected = Map.ofEntries(Map.entry("Plain", StepKind.TASK), Map.entry("Route", StepKind.DECIDE),
                Map.entry("Maybe", StepKind.IF), Map.entry("Loop", StepKind.WHILE), Map.entry("Each", StepKind.FOREACH),
                Map.entry("Both", StepKind.PARALLEL), Map.entry("Pay", StepKind.SAGA), Map.entry("Charge", StepKind.TASK),
                Map.entry("Refund", StepKind.TASK), Map.entry("Cool", StepKind.DELAY), Map.entry("Later", StepKind.SCHEDULE),
                Map.entry("Again", StepKind.RECUR), Map.entry("Paid", StepKind.WAIT_FOR), Map.entry("Sub", StepKind.CHILD),
                Map.entry("Stop", StepKind.END));
        for (StepDefinition s : d.steps()) {
            if (expected.containsKey(s.name())) assertThat(s.kind()).as(s.name()).isEqualTo(expected.get(s.name()));
        }
        assertThat(d.steps()).extracting(StepDefinition::name).containsAll(expected.keySet());
        assertThat(StepKind.WAIT_FOR.word()).isEqualTo("waitFor");
    }

    @Test
    void givenStepsDeclaredByName_whenNoKindIsSaid_thenEachIsATask() {
        WorkflowDefinition d = WorkflowDefinition.compile(Workflow.of("k", "Plain", "1.0.0", s -> s.startWith("A", c -> null).then("B", c -> null)));

        assertThat(d.steps()).extracting(StepDefinition::kind).containsOnly(StepKind.TASK);
    }
}
