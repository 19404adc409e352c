// examples/workflow-test/src/main/java/com/example/orders/OrderWorkflow.java
package com.example.orders;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.language.WorkflowBuilder;

/** An order waits for its payment, then ships once a day has passed for the customer to change their mind. */
public final class OrderWorkflow {

    public record Order(String id, Object payment, List<String> log) {
        public static Order of(String id) {
            return new Order(id, null, List.of());
        }

        Order note(String line) {
            List<String> more = new ArrayList<>(log);
            more.add(line);
            return new Order(id, payment, more);
        }

        Order paid(Object payment) {
            return new Order(id, payment, log).note("paid");
        }
    }

    private OrderWorkflow() {
    }

    public static Workflow definition() {
        return WorkflowBuilder.define("shop", "Order", "1.0.0", Order.class)
                .startWith("received", order -> order.note("received"))
                .waitFor("payment", "order.paid", Order::id, Order::paid)
                .delay("cooling-off", Duration.ofDays(1))
                .then("ship", order -> order.note("shipped"))
                .build();
    }
}
