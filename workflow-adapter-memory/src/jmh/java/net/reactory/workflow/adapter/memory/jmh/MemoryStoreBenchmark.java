package net.reactory.workflow.adapter.memory.jmh;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

import net.reactory.workflow.adapter.memory.MemoryInstanceStore;
import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.instance.Lease;
import net.reactory.workflow.domain.execution.Transition;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.definition.WorkflowDefinition;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.execution.WorkflowTransitions;

/** The memory store on the runner's hot path: create leased, then one conditional save per step. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MemoryStoreBenchmark {

    private final MemoryInstanceStore store = new MemoryInstanceStore(Duration.ofMillis(1));
    private final WorkflowDefinition w3 = WorkflowDefinition.compile(Workflow.of("bench", "W3", "1.0.0", steps -> steps
            .startWith("S1", ctx -> ExecutionResult.next()).then("S2", ctx -> ExecutionResult.next()).then("S3", ctx -> ExecutionResult.next())));
    private final ExecutionResult next = ExecutionResult.next();

    /** One three-step workflow's store traffic: 1 create and 3 saves, the last releasing the lease. */
    @Benchmark
    @Threads(2)
    public boolean createAndThreeSaves() {
        Instant now = Instant.now();
        Lease lease = new Lease("node", now.plusSeconds(30));
        WorkflowInstance i = WorkflowTransitions.start(UUID.randomUUID().toString(), w3, 1, null, now).instance().withLease(lease);
        store.create(i);
        boolean ok = true;
        for (int step = 0; step < 3; step++) {
            Transition t = WorkflowTransitions.stepSucceeded(i, w3, i.pointers().get(0).id(), next, now);
            WorkflowInstance saved = step == 2 ? t.instance().withLease(null) : t.instance();
            ok &= store.save(saved, i.revision(), List.of());
            i = saved;
        }
        return ok;
    }
}
