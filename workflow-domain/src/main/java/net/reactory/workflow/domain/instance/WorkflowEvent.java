package net.reactory.workflow.domain.instance;

import net.reactory.workflow.domain.definition.DefinitionKey;


import java.time.Instant;

/**
 * Change tracking: what a transition did, as data. Each event carries the revision its
 * transition produced, so {@link #eventId()} is stable and consumers can de-duplicate.
 */
public sealed interface WorkflowEvent {

    String instanceId();

    DefinitionKey definition();

    long revision();

    Instant at();

    /** Stable across re-publication: instance, revision, and the event's kind. */
    default String eventId() {
        return instanceId() + ":" + revision() + ":" + kind();
    }

    /** A short lower-case name such as {@code started} or {@code step.completed}. */
    String kind();

    /** Who asked for the command behind the event (suspend, resume, terminate); null for what the runner did itself. */
    default Origin origin() {
        return null;
    }

    /** This event as asked for by {@code origin}; the events no one asks for (a step completing...) stay as they are. */
    default WorkflowEvent withOrigin(Origin origin) {
        return this;
    }

    /**
     * Whether any of {@code changes} reaches beyond its instance: a wait for an event (or a child) registered or given
     * up, a child workflow asked for. Most transitions only move their own instance on, and a commit that does not
     * finish it either leaves nothing else to do but tell the listeners. Exact class checks, no allocation.
     */
    static boolean anyReachesBeyondInstance(java.util.List<WorkflowEvent> changes) {
        for (int i = 0; i < changes.size(); i++) {
            WorkflowEvent change = changes.get(i);
            if (change instanceof EventAwaited || change instanceof ChildWorkflowRequested || change instanceof StepCancelled) return true;
        }
        return false;
    }

    /**
     * Who asked for a command, for the instance's history.
     *
     * @param actor      a user, a service, "system"
     * @param entryPoint through what: "api", "http", "amqp", "cli"...
     */
    record Origin(String actor, String entryPoint) {
    }

    record WorkflowStarted(String instanceId, DefinitionKey definition, long revision, Instant at, String reference) implements WorkflowEvent {
        public String kind() { return "started"; }
    }

    record StepCompleted(String instanceId, DefinitionKey definition, long revision, Instant at, String step, int pointerId) implements WorkflowEvent {
        public String kind() { return "step.completed." + pointerId; }
    }

    record StepFailed(String instanceId, DefinitionKey definition, long revision, Instant at, StepError error) implements WorkflowEvent {
        public String kind() { return "step.failed"; }
    }

    record RetryScheduled(String instanceId, DefinitionKey definition, long revision, Instant at, String step, int attempt, Instant retryAt) implements WorkflowEvent {
        public String kind() { return "retry.scheduled"; }
    }

    record WorkflowSuspended(String instanceId, DefinitionKey definition, long revision, Instant at, String reason, Origin origin)
            implements WorkflowEvent {
        public WorkflowSuspended(String instanceId, DefinitionKey definition, long revision, Instant at, String reason) {
            this(instanceId, definition, revision, at, reason, null);
        }

        public String kind() { return "suspended"; }

        @Override
        public WorkflowEvent withOrigin(Origin by) { return new WorkflowSuspended(instanceId, definition, revision, at, reason, by); }
    }

    record WorkflowResumed(String instanceId, DefinitionKey definition, long revision, Instant at, Origin origin) implements WorkflowEvent {
        public WorkflowResumed(String instanceId, DefinitionKey definition, long revision, Instant at) {
            this(instanceId, definition, revision, at, null);
        }

        public String kind() { return "resumed"; }

        @Override
        public WorkflowEvent withOrigin(Origin by) { return new WorkflowResumed(instanceId, definition, revision, at, by); }
    }

    record WorkflowCompleted(String instanceId, DefinitionKey definition, long revision, Instant at) implements WorkflowEvent {
        public String kind() { return "completed"; }
    }

    record WorkflowFailed(String instanceId, DefinitionKey definition, long revision, Instant at, StepError error) implements WorkflowEvent {
        public String kind() { return "failed"; }
    }

    record WorkflowTerminated(String instanceId, DefinitionKey definition, long revision, Instant at, String reason, Origin origin)
            implements WorkflowEvent {
        public WorkflowTerminated(String instanceId, DefinitionKey definition, long revision, Instant at, String reason) {
            this(instanceId, definition, revision, at, reason, null);
        }

        public String kind() { return "terminated"; }

        @Override
        public WorkflowEvent withOrigin(Origin by) { return new WorkflowTerminated(instanceId, definition, revision, at, reason, by); }
    }

    /** A pointer began to wait for an external event (or for a child workflow, {@link ChildResult#EVENT_NAME}). */
    record EventAwaited(String instanceId, DefinitionKey definition, long revision, Instant at, String step, int pointerId,
                        String eventName, String eventKey, Instant effectiveDate) implements WorkflowEvent {
        public String kind() { return "event.awaited." + pointerId; }

        /** Identifies the wait: a pointer waits for one event at a time. */
        public String subscriptionId() { return subscriptionId(instanceId, pointerId); }

        public static String subscriptionId(String instanceId, int pointerId) { return instanceId + ":" + pointerId; }
    }

    /** A waiting pointer received its event and is runnable again. */
    record EventReceived(String instanceId, DefinitionKey definition, long revision, Instant at, String step, int pointerId,
                         String eventName, String eventKey, String eventId) implements WorkflowEvent {
        public String kind() { return "event.received." + pointerId; }
    }

    /**
     * A step asked for a child workflow; the parent's pointer waits for it under {@code reference}. {@code traceContext}
     * is the trace the child continues (the asking step's span, when a tracer set it; else empty, and the child
     * continues its parent's).
     */
    record ChildWorkflowRequested(String instanceId, DefinitionKey definition, long revision, Instant at, String step, int pointerId,
                                  String workflowId, String version, Object input, String reference,
                                  java.util.Map<String, String> traceContext) implements WorkflowEvent {
        public ChildWorkflowRequested {
            traceContext = traceContext == null || traceContext.isEmpty() ? java.util.Map.of() : java.util.Map.copyOf(traceContext);
        }

        public ChildWorkflowRequested(String instanceId, DefinitionKey definition, long revision, Instant at, String step, int pointerId,
                                      String workflowId, String version, Object input, String reference) {
            this(instanceId, definition, revision, at, step, pointerId, workflowId, version, input, reference, java.util.Map.of());
        }

        public String kind() { return "child.requested." + pointerId; }
    }

    /** A step failed for good in a saga: the compensations of the {@code owed} steps run, newest first. */
    record CompensationStarted(String instanceId, DefinitionKey definition, long revision, Instant at, String step,
                               int pointerId, java.util.List<String> owed) implements WorkflowEvent {
        public String kind() { return "compensation.started." + pointerId; }
    }

    /**
     * A live pointer was given up because its step's cancel condition held: its branches went with it. {@code waitedFor}
     * is the event (or child workflow) it waited for, whose wait is to be removed, or null.
     */
    record StepCancelled(String instanceId, DefinitionKey definition, long revision, Instant at, String step, int pointerId,
                         ExecutionPointer.EventWait waitedFor) implements WorkflowEvent {
        public String kind() { return "step.cancelled." + pointerId; }
    }
}
