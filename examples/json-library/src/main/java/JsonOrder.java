// examples/json-library/src/main/java/JsonOrder.java
import net.reactory.workflow.adapter.memory.MemoryEventStore;
import net.reactory.workflow.adapter.memory.MemoryInstanceStore;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.definitions.DefinitionReader;
import net.reactory.workflow.definitions.EventPublisher;
import net.reactory.workflow.definitions.StepTypes;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.step.ExecutionResult;
import java.util.LinkedHashMap;
import java.util.Map;

public class JsonOrder {
    public static void main(String[] args) throws Exception {
        // A step type of your own, named in the definition by "type": "price".
        StepTypes types = StepTypes.builtIn().register("price", params -> ctx -> {
            Map<String, Object> data = new LinkedHashMap<>((Map<String, Object>) ctx.data());
            data.put("total", ((Number) params.get("each")).intValue() * ((Number) data.get("items")).intValue());
            return ExecutionResult.next(data);
        });
        WorkflowRunnerService[] runner = new WorkflowRunnerService[1];
        DefinitionReader reader = new DefinitionReader(types, EventPublisher.to(() -> runner[0]));

        // The same reader takes JSON (read(source, json)) and YAML; read(path) picks by the file's extension.
        Workflow order = reader.readYaml("order.yaml", """
                nameSpace: shop
                name: Order
                version: 1.0.0
                steps:
                  - {name: price, type: price, params: {each: 40}, maxAttempts: 3, retry: {initialDelay: PT1S}}
                  - name: big?
                    type: if
                    condition: {field: total, greaterThan: 100}
                    steps:
                      - {name: review, type: set-data, values: {review: true}}
                  - {name: done, type: set-data, values: {status: "priced ${total}"}}
                """);

        runner[0] = WorkflowRunnerService.builder()
                .store(new MemoryInstanceStore())
                .eventStore(new MemoryEventStore())
                .workflow(order)
                .build();
        runner[0].initialize().join();

        String id = runner[0].startWorkflow("shop.Order", null, Map.of("items", 3)).join();
        WorkflowInstance done = runner[0].awaitFinished(id).join();
        System.out.println(done.status() + " " + done.data());   // COMPLETE {items=3, total=120, review=true, status=priced 120}

        runner[0].stop().join();
    }
}
