package net.reactory.workflow.adapter.amqp;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import net.reactory.workflow.adapter.memory.MemoryEventStore;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.service.RunnerConfig;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.definition.Workflow;

/** One runner node wired to the broker as the daemon wires it: commands in, events out, wake-ups both ways. */
final class TestNode implements AutoCloseable {

    final AmqpConnector connector;
    final AmqpWorkSignal signal;
    final AmqpLifecycleEventPublisher events;
    final WorkflowRunnerService runner;
    final AmqpCommandConsumer commands;
    private boolean closed;

    TestNode(AmqpConfig config, InstanceStore store, UnaryOperator<RunnerConfig> runnerConfig, List<Workflow> workflows) throws Exception {
        RunnerConfig rc = runnerConfig.apply(RunnerConfig.defaults());
        connector = AmqpConnector.connect(config);
        signal = new AmqpWorkSignal(connector, rc.nodeId());
        events = new AmqpLifecycleEventPublisher(connector);
        runner = WorkflowRunnerService.builder().config(rc).store(store).eventStore(new MemoryEventStore()).workSignal(signal).publisher(events).workflows(workflows).build();
        runner.initialize().get(30, TimeUnit.SECONDS);
        commands = new AmqpCommandConsumer(connector, runner).start();
    }

    /** demo.Greet@1.0.0: Hello puts a greeting into the data, Done ends. */
    static Workflow greet() {
        return Workflow.of("demo", "Greet", "1.0.0", steps -> steps
                .startWith("Hello", ctx -> ExecutionResult.next(Map.of("greeting", "hello " + name(ctx.data()), "input", ctx.data() == null ? Map.of() : ctx.data())))
                .then("Done", ctx -> ExecutionResult.next()));
    }

    private static Object name(Object data) {
        return data instanceof Map<?, ?> m ? m.get("name") : null;
    }

    static Duration wait(int seconds) {
        return Duration.ofSeconds(seconds);
    }

    @Override
    public void close() throws Exception {
        if (closed) return;
        closed = true;
        commands.close();
        runner.stop().get(30, TimeUnit.SECONDS);
        events.close();
        connector.close();
    }
}
