// examples/tour/src/main/java/Greeting.java
import net.reactory.workflow.adapter.memory.MemoryEventStore;
import net.reactory.workflow.adapter.memory.MemoryInstanceStore;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import java.util.Map;

public class Greeting {
    public static void main(String[] args) throws Exception {
        Workflow greet = Workflow.of("demo", "Greet", "1.0.0", steps -> steps
                .startWith("Hello", ctx -> ExecutionResult.next(Map.of("greeting", "hello " + ((Map<?, ?>) ctx.data()).get("name"))))
                .then("Check", ctx -> ExecutionResult.outcome(((Map<?, ?>) ctx.data()).get("greeting").toString().length() > 10 ? "long" : "short"))
                    .onOutcome("long", "Shout")
                .then("Whisper", ctx -> ExecutionResult.next()).end()
                .step("Shout", ctx -> ExecutionResult.next()));

        WorkflowRunnerService runner = WorkflowRunnerService.builder()
                .store(new MemoryInstanceStore())
                .eventStore(new MemoryEventStore())
                .workflow(greet)
                .build();
        runner.initialize().join();

        String id = runner.startWorkflow("demo.Greet", "1.0.0", Map.of("name", "Ada")).join();
        WorkflowInstance done = runner.awaitFinished(id).join();
        System.out.println(done.status() + " " + done.data());   // COMPLETE {greeting=hello Ada}

        runner.stop().join();
    }
}
