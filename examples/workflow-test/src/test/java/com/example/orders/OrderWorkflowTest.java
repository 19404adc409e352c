// examples/workflow-test/src/test/java/com/example/orders/OrderWorkflowTest.java
package com.example.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.example.orders.OrderWorkflow.Order;

import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;
import net.reactory.workflow.testing.WorkflowTestHarness;

class OrderWorkflowTest {

    @Test
    void givenPaidOrder_whenADayPasses_thenItShips() {
        try (WorkflowTestHarness harness = WorkflowTestHarness.of(OrderWorkflow.definition())) {
            String id = harness.start("shop.Order", Order.of("o-1"));
            harness.awaitIdle(id);                                          // waits for its payment

            harness.publishEvent("order.paid", "o-1", Map.of("amount", 30));
            harness.awaitIdle(id);                                          // sleeps a day
            assertThat(harness.advance(Duration.ofHours(23))).isZero();    // nothing due yet
            harness.advance(Duration.ofHours(1));

            WorkflowInstance done = harness.awaitFinished(id);
            assertThat(done.status()).isEqualTo(WorkflowStatus.COMPLETE);
            assertThat(((Order) done.data()).log()).containsExactly("received", "paid", "shipped");
            assertThat(((Order) done.data()).payment()).isEqualTo(Map.of("amount", 30));
        }
    }

    @Test
    void givenUnpaidOrder_whenAWeekPasses_thenItStillWaitsAndNeverShips() {
        try (WorkflowTestHarness harness = WorkflowTestHarness.of(OrderWorkflow.definition())) {
            String id = harness.start("shop.Order", Order.of("o-2"));
            harness.publishEvent("order.paid", "another-order", "card");

            harness.advance(Duration.ofDays(7));

            WorkflowInstance waiting = harness.awaitIdle(id);
            assertThat(waiting.status()).isEqualTo(WorkflowStatus.RUNNABLE);
            assertThat(((Order) waiting.data()).log()).containsExactly("received");
        }
    }
}
