package net.reactory.workflow.domain;

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

    record WorkflowSuspended(String instanceId, DefinitionKey definition, long revision, Instant at, String reason) implements WorkflowEvent {
        public String kind() { return "suspended"; }
    }

    record WorkflowResumed(String instanceId, DefinitionKey definition, long revision, Instant at) implements WorkflowEvent {
        public String kind() { return "resumed"; }
    }

    record WorkflowCompleted(String instanceId, DefinitionKey definition, long revision, Instant at) implements WorkflowEvent {
        public String kind() { return "completed"; }
    }

    record WorkflowFailed(String instanceId, DefinitionKey definition, long revision, Instant at, StepError error) implements WorkflowEvent {
        public String kind() { return "failed"; }
    }

    record WorkflowTerminated(String instanceId, DefinitionKey definition, long revision, Instant at, String reason) implements WorkflowEvent {
        public String kind() { return "terminated"; }
    }
}
