package net.reactory.workflow.adapter.memory.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.application.port.in.StartRequest;
import net.reactory.workflow.application.port.in.InstanceFilter;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/** Acceptance 7: the same reference from 8 threads at once yields one instance. */
class IdempotentStartTest extends ResilienceFixture {

    @Test
    void givenOneReference_whenStartedFrom8ThreadsAtOnce_thenAllGetTheSameInstanceAndOnlyOneExists() throws Exception {
        WorkflowRunnerService runner = runner(Workflow.of("res", "Order", "1.0.0", steps -> steps.startWith("Take", ctx -> ExecutionResult.next())));
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> calls = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
            for (int t = 0; t < 8; t++) {
                int caller = t;
                calls.add(threads.submit(() -> {
                    go.await();
                    CompletableFuture<String> id = runner.startWorkflow(
                            new StartRequest("res.Order", null, Map.of("caller", caller), "order-42", "caller-" + caller, "api"));
                    return id.join();
                }));
            }
            go.countDown();
            List<String> ids = new ArrayList<>();
            for (Future<String> call : calls) ids.add(call.get());

            assertThat(ids).hasSize(8).containsOnly(ids.get(0));
        }
        String id = calls.get(0).get();
        assertThat(store.query(InstanceFilter.all(100))).singleElement().satisfies(i -> {
            assertThat(i.id()).isEqualTo(id);
            assertThat(i.reference()).isEqualTo("order-42");
        });
        awaitStatus(id, WorkflowStatus.COMPLETE);
        assertThat(runner.startWorkflow(new StartRequest("res.Order", null, Map.of(), "order-42", null, null)).join())
                .as("even after it finished").isEqualTo(id);
        assertThat(audit.recent(100)).filteredOn(e -> e.command().equals("start"))
                .hasSize(9).allSatisfy(e -> assertThat(e.outcome()).isEqualTo("accepted"))
                .filteredOn(e -> e.detail().contains("already started")).hasSize(8);
    }
}
