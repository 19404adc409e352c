package net.reactory.workflow.domain.language;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.definition.WorkflowDefinition;
import net.reactory.workflow.domain.instance.WorkflowStatus;
import net.reactory.workflow.domain.step.ExecutionResult;

/** Issue 15, defect 3: a saga, a foreach, a parallel and a child step may be compensated as a whole. */
class CompensatedContainersTest {

    record Log(List<String> lines) {
        Log {
            lines = List.copyOf(lines);
        }

        static Log empty() {
            return new Log(List.of());
        }

        Log note(String line) {
            List<String> more = new ArrayList<>(lines);
            more.add(line);
            return new Log(more);
        }
    }

    private static WorkflowBuilder<Log> flow(String name) {
        return WorkflowBuilder.define("compensated", name, "1.0.0", Log.class);
    }

    private static List<String> lines(Drive d) {
        return ((Log) d.instance.data()).lines();
    }

    private static WorkflowBuilder.TypedBody<Log> boom() {
        return (l, ctx) -> ExecutionResult.fail("Boom", "no way");
    }

    @Test
    void givenCompensatedForeachAndParallelInASaga_whenALaterStepFails_thenEachContainerIsUndoneAsAWholeNewestFirst() {
        Workflow wf = flow("Containers")
                .saga("tx", s -> s
                        .forEach("each", l -> List.of("x", "y"), f -> f
                                .then("pack", (l, ctx) -> ExecutionResult.next(l.note("pack " + ctx.item())))
                                .compensateWith("unpack one", l -> l.note("unpack one")))
                        .compensateWith("unpack all", l -> l.note("unpack all"))
                        .parallel("both", a -> a.then("left", l -> l.note("left")), b -> b.then("right", l -> l.note("right")))
                        .compensateWith(c -> c.then("undo both", l -> l.note("undo both")).then("mail", l -> l.note("mail")))
                        .then("boom", boom()))
                .build();

        Drive d = Drive.start(wf, Log.empty()).runToEnd();

        assertThat(d.instance.status()).isEqualTo(WorkflowStatus.FAILED);
        assertThat(lines(d)).containsExactly("pack x", "pack y", "left", "right", "undo both", "mail", "unpack all");
    }

    @Test
    void givenNestedSagaWithACompensation_whenALaterStepOfTheOuterSagaFails_thenItRunsInPlaceOfTheInnerSteps() {
        Workflow wf = flow("NestedSaga")
                .saga("outer", o -> o
                        .saga("inner", i -> i
                                .startWith("a", l -> l.note("a")).compensateWith("undo a", l -> l.note("undo a"))
                                .then("b", l -> l.note("b")))
                        .compensateWith("undo inner", l -> l.note("undo inner"))
                        .then("boom", boom()))
                .build();

        Drive d = Drive.start(wf, Log.empty()).runToEnd();

        assertThat(d.instance.status()).isEqualTo(WorkflowStatus.FAILED);
        assertThat(lines(d)).containsExactly("a", "b", "undo inner");
    }

    @Test
    void givenSagaWithACompensationOfItsOwn_whenAStepInsideFails_thenItsStepsAreUndoneThenTheSagaItself() {
        Workflow wf = flow("WholeSaga")
                .saga("tx", s -> s
                        .startWith("a", l -> l.note("a")).compensateWith("undo a", l -> l.note("undo a"))
                        .then("boom", boom()))
                .compensateWith("undo everything", l -> l.note("undo everything"))
                .build();

        Drive d = Drive.start(wf, Log.empty()).runToEnd();

        assertThat(d.instance.status()).isEqualTo(WorkflowStatus.FAILED);
        assertThat(lines(d)).containsExactly("a", "undo a", "undo everything");
        assertThat(d.instance.lastError().type()).isEqualTo("SagaCompensated");
    }

    @Test
    void givenCompensatedForeach_whenOneOfItsItemsFails_thenTheEndedItemsAreUndoneThenTheForeachItself() {
        Workflow wf = flow("ForeachInside")
                .saga("tx", s -> s
                        .forEach("each", l -> List.of("x", "y"), f -> f
                                .then("pack", (l, ctx) -> "y".equals(ctx.item()) ? ExecutionResult.fail("Boom", "y")
                                        : ExecutionResult.next(l.note("pack " + ctx.item())))
                                .compensateWith("unpack one", l -> l.note("unpack one")))
                        .compensateWith("unpack all", l -> l.note("unpack all")))
                .build();

        Drive d = Drive.start(wf, Log.empty()).runToEnd();

        assertThat(d.instance.status()).isEqualTo(WorkflowStatus.FAILED);
        assertThat(lines(d)).containsExactly("pack x", "unpack one", "unpack all");
    }

    @Test
    void givenCompensationAfterAWhile_whenRegistered_thenRefusedNamingTheStep() {
        Workflow wf = flow("WhileComp")
                .saga("tx", s -> s.whileDo("loop", l -> false, b -> b.then("x", l -> l)).compensateWith("undo", l -> l))
                .build();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WorkflowDefinition.compile(wf))
                .hasMessageContaining("compensateWith after 'loop'");
    }
}
