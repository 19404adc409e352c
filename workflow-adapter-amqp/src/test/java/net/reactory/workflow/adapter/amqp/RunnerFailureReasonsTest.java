package net.reactory.workflow.adapter.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.application.port.in.InstanceNotFoundException;
import net.reactory.workflow.application.port.in.Refusal;
import net.reactory.workflow.application.port.in.RunnerNotInitializedException;
import net.reactory.workflow.application.port.in.WorkflowNotFoundException;
import net.reactory.workflow.application.port.out.StoreUnavailableException;
import net.reactory.workflow.domain.instance.InstanceFinishedException;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/** What the runner throws, seen by the command consumer: a dead-letter reason, or another attempt. */
class RunnerFailureReasonsTest {

    @Test
    void givenPermanentRefusals_whenMapped_thenEachHasTodaysDeadLetterReason() {
        assertThat(reason(new ExecutionException(new WorkflowNotFoundException("demo.Nope", "no such workflow")))).isEqualTo("unknown-workflow");
        assertThat(reason(new CompletionException(new InstanceNotFoundException("i-1")))).isEqualTo("unknown-instance");
        assertThat(reason(new InstanceFinishedException("i-1", WorkflowStatus.COMPLETE, "suspend"))).isEqualTo("instance-finished");
        assertThat(reason(new IllegalArgumentException("bad data"))).isEqualTo("invalid-input");
        assertThat(reason(new IllegalStateException("not suspended"))).isEqualTo("invalid-state");
    }

    @Test
    void givenPassingFailures_whenMapped_thenRetriedNotDeadLettered() {
        assertThat(BadCommandException.ofRunnerFailure(new ExecutionException(new StoreUnavailableException("away", null)))).isEmpty();
        assertThat(BadCommandException.ofRunnerFailure(new RunnerNotInitializedException("startWorkflow"))).isEmpty();
        assertThat(BadCommandException.ofRunnerFailure(new TimeoutException())).isEmpty();
        assertThat(BadCommandException.ofRunnerFailure(new OutOfMemoryError("test"))).isEmpty();
    }

    @Test
    void givenABadCommandThrownThrough_whenMapped_thenItIsKeptAsIs() {
        BadCommandException bad = new BadCommandException(BadCommandException.INVALID_FIELD, "effectiveAt");

        assertThat(BadCommandException.ofRunnerFailure(new CompletionException(bad))).containsSame(bad);
    }

    @Test
    void givenEveryKind_whenAskedForAReason_thenPermanentOnesNeverSayRetriesExhausted() {
        for (Refusal kind : EnumSet.allOf(Refusal.class)) {
            assertThat(BadCommandException.reasonFor(kind).equals(BadCommandException.RETRIES_EXHAUSTED))
                    .as(kind.name()).isEqualTo(!kind.permanent());
        }
    }

    private static String reason(Throwable thrown) {
        return BadCommandException.ofRunnerFailure(thrown).orElseThrow().reason();
    }
}
