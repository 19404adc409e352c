package net.reactory.workflow.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * Where an instance stands: a step to run. Only live pointers are kept on an instance;
 * finished ones are dropped (their history is in the change events), so a long loop
 * does not make the instance grow.
 *
 * @param id             unique within the instance
 * @param stepId         the step to run
 * @param attempt        1 for the first attempt
 * @param sleepUntil     not runnable before this time; null when runnable now
 * @param persistedState handed back to the step on its next run
 * @param waitingFor     set while the pointer waits for an external event
 */
public record ExecutionPointer(int id, int stepId, int attempt, Instant sleepUntil, Object persistedState,
                               EventWait waitingFor) {

    public ExecutionPointer {
        if (attempt < 1) throw new IllegalArgumentException("attempt must be at least 1: " + attempt);
    }

    public static ExecutionPointer first(int id, int stepId) {
        return new ExecutionPointer(id, stepId, 1, null, null, null);
    }

    public boolean isWaiting() {
        return waitingFor != null;
    }

    public boolean isDueAt(Instant now) {
        return waitingFor == null && (sleepUntil == null || !sleepUntil.isAfter(now));
    }

    /** The time this pointer becomes runnable, or null while it waits for an event. */
    public Instant dueAt(Instant now) {
        if (waitingFor != null) return null;
        return sleepUntil == null ? now : sleepUntil;
    }

    /** An external event a pointer waits for. */
    public record EventWait(String name, String key, Instant effectiveDate) {
        public EventWait {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(key, "key");
        }
    }
}
