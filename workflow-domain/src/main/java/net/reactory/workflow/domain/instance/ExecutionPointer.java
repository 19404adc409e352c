package net.reactory.workflow.domain.instance;

import java.time.Instant;
import java.util.List;
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
 * @param scope          the container pointer (parallel, foreach, saga, ...) this pointer's branch belongs to, or {@link #NO_SCOPE}
 * @param item           the value of the branch this pointer runs in (a foreach item), inherited along the branch; may be null
 * @param join           set while this container pointer waits for the branches it started
 * @param compensation   the compensations this branch owes, and whether it is running them; null when it owes none
 */
public record ExecutionPointer(int id, int stepId, int attempt, Instant sleepUntil, Object persistedState,
                               EventWait waitingFor, int scope, Object item, Join join, Compensation compensation) {

    public static final int NO_SCOPE = -1;

    public ExecutionPointer {
        if (attempt < 1) throw new IllegalArgumentException("attempt must be at least 1: " + attempt);
    }

    /** A pointer outside any container: the form of the foundation, kept for stores that do not know branches. */
    public ExecutionPointer(int id, int stepId, int attempt, Instant sleepUntil, Object persistedState, EventWait waitingFor) {
        this(id, stepId, attempt, sleepUntil, persistedState, waitingFor, NO_SCOPE, null, null, null);
    }

    public static ExecutionPointer first(int id, int stepId) {
        return new ExecutionPointer(id, stepId, 1, null, null, null, NO_SCOPE, null, null, null);
    }

    public boolean isWaiting() {
        return waitingFor != null;
    }

    public boolean isJoining() {
        return join != null;
    }

    public boolean isCompensating() {
        return compensation != null && compensation.running();
    }

    public boolean isDueAt(Instant now) {
        return waitingFor == null && join == null && (sleepUntil == null || !sleepUntil.isAfter(now));
    }

    /** The time this pointer becomes runnable, or null while it waits for an event or for its branches. */
    public Instant dueAt(Instant now) {
        if (waitingFor != null || join != null) return null;
        return sleepUntil == null ? now : sleepUntil;
    }

    /** The same pointer at another stage of its step: new attempt, sleep, state and wait. */
    public ExecutionPointer with(int newAttempt, Instant newSleepUntil, Object newState, EventWait newWait) {
        return new ExecutionPointer(id, stepId, newAttempt, newSleepUntil, newState, newWait, scope, item, null, compensation);
    }

    public ExecutionPointer withJoin(Join newJoin, Object newState, Compensation newCompensation) {
        return new ExecutionPointer(id, stepId, attempt, null, newState, null, scope, item, newJoin, newCompensation);
    }

    /** An external event a pointer waits for; a null {@code effectiveDate} accepts any event not yet delivered. */
    public record EventWait(String name, String key, Instant effectiveDate) {
        public EventWait {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(key, "key");
        }
    }

    /**
     * A container waiting for its branches.
     *
     * @param pending     values whose branches have not started yet (a foreach beyond its degree of parallelism)
     * @param state       handed to the container's step when all its branches have ended
     * @param owed        the compensations owed by its branches that have ended, oldest first: run when a sibling
     *                    branch is compensated, or, once all have ended, owed by the container's own branch (unless
     *                    the container declares a compensation of its own, which then undoes it as a whole)
     */
    public record Join(List<Object> pending, Object state, List<Integer> owed) {
        public Join {
            pending = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(pending));
            owed = owed == null ? List.of() : List.copyOf(owed);
        }

        /** A join whose ended branches owe nothing yet. */
        public Join(List<Object> pending, Object state) {
            this(pending, state, List.of());
        }
    }

    /**
     * The compensations a branch owes: the ids of its completed steps that declare one, oldest first.
     * While {@code running}, the pointer runs the compensation chain of a step already taken off {@code owed}.
     */
    public record Compensation(List<Integer> owed, boolean running) {
        public Compensation {
            owed = List.copyOf(owed);
        }
    }
}
