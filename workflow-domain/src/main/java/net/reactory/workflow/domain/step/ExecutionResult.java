package net.reactory.workflow.domain.step;

import net.reactory.workflow.domain.instance.ChildResult;
import net.reactory.workflow.domain.instance.ReceivedEvent;


import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a step body returns. Each variant may carry new workflow data; an empty
 * {@code data} keeps the data the step was given.
 */
public sealed interface ExecutionResult {

    Optional<Object> data();

    /** Go on to the step's successor. */
    record Next(Optional<Object> data) implements ExecutionResult {
        private static final Next UNCHANGED = new Next(Optional.empty());

        public Next { Objects.requireNonNull(data, "data"); }
    }

    /** Go on to the successor chosen by {@code value} among the step's outcomes, else its successor. */
    record Outcome(Object value, Optional<Object> data) implements ExecutionResult {
        public Outcome { Objects.requireNonNull(data, "data"); }
    }

    /** Run this step again after {@code duration}, handing it {@code state}. */
    record Sleep(Duration duration, Object state, Optional<Object> data) implements ExecutionResult {
        public Sleep {
            Objects.requireNonNull(duration, "duration");
            Objects.requireNonNull(data, "data");
            if (duration.isNegative()) throw new IllegalArgumentException("sleep duration must not be negative: " + duration);
        }
    }

    /**
     * Park the step until the event {@code name}/{@code key} arrives, effective at or after {@code effectiveDate}
     * (any undelivered event when null); the step then runs again, given the {@link ReceivedEvent}.
     */
    record WaitForEvent(String name, String key, Instant effectiveDate, Optional<Object> data) implements ExecutionResult {
        public WaitForEvent {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(data, "data");
        }
    }

    /**
     * Start branches of this container step and wait for them to end. A container with one child chain
     * starts it once per value, at most {@code parallelism} at a time (0: all at once; 1: one after the other),
     * each branch seeing its value as {@link StepContext#item()}; a container with several child chains
     * (parallel) starts each chain once. When every branch has ended the step runs again, given {@code state}.
     */
    record Branch(List<Object> values, int parallelism, Object state, Optional<Object> data) implements ExecutionResult {
        public Branch {
            values = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(values)); // a branch's value may be null
            if (parallelism < 0) throw new IllegalArgumentException("parallelism must not be negative: " + parallelism);
            Objects.requireNonNull(data, "data");
        }

        public Branch(List<Object> values, Optional<Object> data) {
            this(values, 0, null, data);
        }
    }

    /**
     * Start workflow {@code workflowId} ({@code nameSpace.name}, optionally {@code @version}) with {@code input}
     * and wait for it to finish; the step then runs again, given a {@link ReceivedEvent} whose data is the
     * {@link ChildResult}.
     */
    record StartChild(String workflowId, String version, Object input, Optional<Object> data, java.util.Map<String, String> traceContext)
            implements ExecutionResult {
        public StartChild {
            Objects.requireNonNull(workflowId, "workflowId");
            Objects.requireNonNull(data, "data");
            traceContext = traceContext == null || traceContext.isEmpty() ? java.util.Map.of() : java.util.Map.copyOf(traceContext);
        }

        public StartChild(String workflowId, String version, Object input, Optional<Object> data) {
            this(workflowId, version, input, data, java.util.Map.of());
        }

        /**
         * The same request, the child to continue the trace {@code context} (W3C header name to value): a tracer sets the
         * span of the step that asked, so the child's spans nest under it.
         */
        public StartChild withTraceContext(java.util.Map<String, String> context) {
            return new StartChild(workflowId, version, input, data, context);
        }
    }

    /** Run this step again at once, handing it {@code state} (progress kept across crashes). */
    record Persist(Object state, Optional<Object> data) implements ExecutionResult {
        public Persist { Objects.requireNonNull(data, "data"); }
    }

    /** The step failed without throwing: treated as a failed attempt. */
    record Fail(String type, String message) implements ExecutionResult {
        public Fail {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public Optional<Object> data() {
            return Optional.empty();
        }
    }

    /** Go on to the next step, data unchanged: one immutable value for every step that returns it, not one per call. */
    static ExecutionResult next() {
        return Next.UNCHANGED;
    }

    static ExecutionResult next(Object newData) {
        return new Next(Optional.of(newData));
    }

    static ExecutionResult outcome(Object value) {
        return new Outcome(value, Optional.empty());
    }

    static ExecutionResult outcome(Object value, Object newData) {
        return new Outcome(value, Optional.of(newData));
    }

    static ExecutionResult sleep(Duration duration, Object state) {
        return new Sleep(duration, state, Optional.empty());
    }

    /** Waits for any event {@code name}/{@code key} not yet delivered, even one published before the wait began. */
    static ExecutionResult waitForEvent(String name, String key) {
        return new WaitForEvent(name, key, null, Optional.empty());
    }

    static ExecutionResult waitForEvent(String name, String key, Instant effectiveDate) {
        return new WaitForEvent(name, key, effectiveDate, Optional.empty());
    }

    static ExecutionResult branch(List<Object> values) {
        return new Branch(values, Optional.empty());
    }

    static ExecutionResult branch(List<Object> values, int parallelism, Object state) {
        return new Branch(values, parallelism, state, Optional.empty());
    }

    static ExecutionResult startChild(String workflowId, String version, Object input) {
        return new StartChild(workflowId, version, input, Optional.empty());
    }

    static ExecutionResult persist(Object state) {
        return new Persist(state, Optional.empty());
    }

    static ExecutionResult fail(String type, String message) {
        return new Fail(type, message);
    }
}
