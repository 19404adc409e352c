package net.reactory.workflow.application.port.out;

import java.time.Instant;

import net.reactory.workflow.domain.instance.StepError;
import net.reactory.workflow.domain.instance.WorkflowEvent;

/**
 * One change event as an instance's history keeps it: what happened at which revision, and who asked for it.
 *
 * @param type       the event's type, such as {@code StepCompleted}
 * @param kind       its short name, such as {@code step.completed.3}
 * @param step       the step it is about, or null
 * @param pointer    the execution pointer it is about, or null
 * @param error      the failure it reports, or null
 * @param actor      who asked for the command behind it (suspend, resume, terminate); null for the runner's own doing
 * @param entryPoint through what the command came ("http", "amqp"...), or null
 * @param detail     a short text: a reason, the event waited for, the compensations owed...; or null
 */
public record HistoryEntry(long revision, Instant at, String type, String kind, String step, Integer pointer, StepError error,
                           String actor, String entryPoint, String detail) {

    /** The entry a change event makes. */
    public static HistoryEntry of(WorkflowEvent e) {
        String step = null;
        Integer pointer = null;
        StepError error = null;
        String detail = null;
        switch (e) {
            case WorkflowEvent.WorkflowStarted s -> detail = s.reference() == null ? null : "reference " + s.reference();
            case WorkflowEvent.StepCompleted s -> {
                step = s.step();
                pointer = s.pointerId();
            }
            case WorkflowEvent.StepFailed f -> {
                error = f.error();
                step = f.error() == null ? null : f.error().step();
            }
            case WorkflowEvent.RetryScheduled r -> {
                step = r.step();
                detail = "attempt " + r.attempt() + (r.retryAt() == null ? "" : " at " + r.retryAt());
            }
            case WorkflowEvent.WorkflowSuspended s -> detail = s.reason();
            case WorkflowEvent.WorkflowResumed r -> { }
            case WorkflowEvent.WorkflowCompleted c -> { }
            case WorkflowEvent.WorkflowFailed f -> {
                error = f.error();
                step = f.error() == null ? null : f.error().step();
            }
            case WorkflowEvent.WorkflowTerminated t -> detail = t.reason();
            case WorkflowEvent.EventAwaited w -> {
                step = w.step();
                pointer = w.pointerId();
                detail = w.eventName() + " / " + w.eventKey();
            }
            case WorkflowEvent.EventReceived r -> {
                step = r.step();
                pointer = r.pointerId();
                detail = r.eventName() + " / " + r.eventKey();
            }
            case WorkflowEvent.ChildWorkflowRequested c -> {
                step = c.step();
                pointer = c.pointerId();
                detail = c.workflowId() + (c.version() == null ? "" : "@" + c.version()) + " as " + c.reference();
            }
            case WorkflowEvent.CompensationStarted c -> {
                step = c.step();
                pointer = c.pointerId();
                detail = "owed: " + String.join(", ", c.owed());
            }
            case WorkflowEvent.StepCancelled c -> {
                step = c.step();
                pointer = c.pointerId();
                detail = "cancelled: its cancel condition held";
            }
        }
        WorkflowEvent.Origin origin = e.origin();
        return new HistoryEntry(e.revision(), e.at(), e.getClass().getSimpleName(), e.kind(), step, pointer, error,
                origin == null ? null : origin.actor(), origin == null ? null : origin.entryPoint(), detail);
    }
}
