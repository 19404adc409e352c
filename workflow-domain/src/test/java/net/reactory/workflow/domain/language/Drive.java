package net.reactory.workflow.domain.language;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import net.reactory.workflow.domain.instance.ExecutionPointer;
import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.instance.ReceivedEvent;
import net.reactory.workflow.domain.step.StepContext;
import net.reactory.workflow.domain.definition.StepDefinition;
import net.reactory.workflow.domain.instance.StepError;
import net.reactory.workflow.domain.execution.Transition;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.definition.WorkflowDefinition;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;
import net.reactory.workflow.domain.execution.WorkflowTransitions;

/**
 * Drives an instance through the pure transitions, on one thread, with time as a plain variable:
 * what the runner does, minus the store, the threads and the clock.
 */
final class Drive {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    final WorkflowDefinition definition;
    WorkflowInstance instance;
    Instant now = T0;
    final List<WorkflowEvent> events = new ArrayList<>();
    final List<String> ran = new ArrayList<>();
    int maxLivePointers;

    private Drive(WorkflowDefinition definition, WorkflowInstance instance) {
        this.definition = definition;
        this.instance = instance;
    }

    static Drive start(Workflow workflow, Object data) {
        WorkflowDefinition definition = WorkflowDefinition.compile(workflow);
        Transition t = WorkflowTransitions.start("i-1", definition, data, null, T0);
        Drive d = new Drive(definition, t.instance());
        d.events.addAll(t.changes());
        return d;
    }

    /** Runs every due step until nothing is due at the current time. */
    Drive run() {
        while (true) {
            List<ExecutionPointer> due = WorkflowTransitions.duePointers(instance, now);
            if (due.isEmpty()) return this;
            for (ExecutionPointer p : due) {
                if (instance.status() != WorkflowStatus.RUNNABLE || !instance.pointers().contains(p)) continue;
                step(p);
            }
        }
    }

    /** Runs, then moves time to each next due moment, until the instance finishes or only waits. */
    Drive runToEnd() {
        run();
        while (instance.status() == WorkflowStatus.RUNNABLE && instance.nextExecution() != null) {
            if (instance.nextExecution().isAfter(now)) now = instance.nextExecution();
            run();
        }
        return this;
    }

    Drive advance(Duration by) {
        now = now.plus(by);
        return this;
    }

    private void step(ExecutionPointer p) {
        StepDefinition step = definition.step(p.stepId());
        ran.add(step.name());
        StepContext ctx = new StepContext(instance.id(), instance.definition(), step.name(), p.id(),
                p.attempt(), instance.data(), p.persistedState(), now, p.item());
        ExecutionResult result;
        Transition t;
        try {
            result = step.body().run(ctx);
            if (result instanceof ExecutionResult.Fail f) {
                t = WorkflowTransitions.stepFailed(instance, definition, p.id(), new StepError(step.name(), f.type(), f.message(), p.attempt(), now),
                        Duration.ofSeconds(1), now);
            } else {
                t = WorkflowTransitions.stepSucceeded(instance, definition, p.id(), result, now);
            }
        } catch (Exception e) {
            t = WorkflowTransitions.stepFailed(instance, definition, p.id(), StepError.of(step.name(), e, p.attempt(), now), Duration.ofSeconds(1), now);
        }
        apply(t);
    }

    Transition deliver(String eventId, String name, String key, Object data) {
        Transition last = new Transition(instance, List.of());
        for (ExecutionPointer p : List.copyOf(instance.pointers())) {
            if (p.waitingFor() != null && p.waitingFor().name().equals(name) && p.waitingFor().key().equals(key)) {
                last = WorkflowTransitions.eventReceived(instance, definition, p.id(), new ReceivedEvent(eventId, name, key, data, now), now);
                apply(last);
            }
        }
        return last;
    }

    void apply(Transition t) {
        instance = t.instance();
        events.addAll(t.changes());
        maxLivePointers = Math.max(maxLivePointers, instance.pointers().size());
    }

    List<String> completedSteps() {
        List<String> out = new ArrayList<>();
        for (WorkflowEvent e : events) if (e instanceof WorkflowEvent.StepCompleted c) out.add(c.step());
        return out;
    }

    <T extends WorkflowEvent> List<T> eventsOf(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (WorkflowEvent e : events) if (type.isInstance(e)) out.add(type.cast(e));
        return out;
    }
}
