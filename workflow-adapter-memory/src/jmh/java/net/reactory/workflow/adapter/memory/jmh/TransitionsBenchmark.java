package net.reactory.workflow.adapter.memory.jmh;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.execution.Transition;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.definition.WorkflowDefinition;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.execution.WorkflowTransitions;

/** The pure state machine: a three-step workflow from start to completion, no store, no threads. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TransitionsBenchmark {

    private final WorkflowDefinition w3 = WorkflowDefinition.compile(Workflow.of("bench", "W3", "1.0.0", steps -> steps
            .startWith("S1", ctx -> ExecutionResult.next()).then("S2", ctx -> ExecutionResult.next()).then("S3", ctx -> ExecutionResult.next())));
    private final ExecutionResult next = ExecutionResult.next();
    private final Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Benchmark
    public WorkflowInstance startAndThreeSteps() {
        WorkflowInstance i = WorkflowTransitions.start("id", w3, 1, null, now).instance();
        for (int step = 0; step < 3; step++) {
            Transition t = WorkflowTransitions.stepSucceeded(i, w3, i.pointers().get(0).id(), next, now);
            i = t.instance();
        }
        return i;
    }
}
