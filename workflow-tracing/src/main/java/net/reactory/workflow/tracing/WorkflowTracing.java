package net.reactory.workflow.tracing;

import static net.reactory.workflow.tracing.WorkflowAttributes.CHILD_WORKFLOW;
import static net.reactory.workflow.tracing.WorkflowAttributes.ERROR_TYPE;
import static net.reactory.workflow.tracing.WorkflowAttributes.EVENT_ID;
import static net.reactory.workflow.tracing.WorkflowAttributes.EVENT_KEY;
import static net.reactory.workflow.tracing.WorkflowAttributes.EVENT_NAME;
import static net.reactory.workflow.tracing.WorkflowAttributes.INSTANCE_ID;
import static net.reactory.workflow.tracing.WorkflowAttributes.REASON;
import static net.reactory.workflow.tracing.WorkflowAttributes.RETRY_AT;
import static net.reactory.workflow.tracing.WorkflowAttributes.RETRY_ATTEMPT;
import static net.reactory.workflow.tracing.WorkflowAttributes.RETRY_DELAY_MS;
import static net.reactory.workflow.tracing.WorkflowAttributes.STATUS;
import static net.reactory.workflow.tracing.WorkflowAttributes.STEP_ATTEMPT;
import static net.reactory.workflow.tracing.WorkflowAttributes.STEP_NAME;
import static net.reactory.workflow.tracing.WorkflowAttributes.STEP_OUTCOME;
import static net.reactory.workflow.tracing.WorkflowAttributes.WORKFLOW_ID;
import static net.reactory.workflow.tracing.WorkflowAttributes.WORKFLOW_VERSION;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

import net.reactory.workflow.application.port.in.WorkflowInterceptor;
import net.reactory.workflow.domain.instance.ChildResult;
import net.reactory.workflow.domain.instance.ExecutionPointer;
import net.reactory.workflow.domain.instance.ReceivedEvent;
import net.reactory.workflow.domain.instance.StepError;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;
import net.reactory.workflow.domain.step.ExecutionResult;

/**
 * OpenTelemetry spans for workflows, as a {@link WorkflowInterceptor}: register it on the runner's builder with the
 * application's {@link OpenTelemetry} ({@code builder().interceptor(WorkflowTracing.of(openTelemetry))}).
 *
 * <p>A span cannot stay open across processes and days, so a workflow is a tree of short spans under one stored
 * context:
 * <ul>
 *   <li>{@code workflow <nameSpace.name>}: opened and ended when the instance is created, child of the caller's context
 *       (the HTTP request's or AMQP command's {@code traceparent}, or the parent step's for a child workflow). Its
 *       context is what the instance stores, so every later span of the instance, on any node, is its child.</li>
 *   <li>{@code step <name>}: one per attempt, on the step's own thread and current while the body runs (a body's own
 *       spans nest under it). Attributes: workflow id and version, instance id, step name, attempt, outcome, error type.
 *       Events: {@code wait.begun} (the step waits for an event), {@code wait.ended} (it runs again with the event,
 *       and links to the publisher's span), {@code retry.scheduled} on a failed attempt the runner retries (the next
 *       attempt, when, the delay, the error type), {@code retry} (the attempt after a failed one),
 *       {@code child.requested}. A child workflow asked for by a step continues that step's span. The runner decides
 *       on a retry only after the attempt returned, so a failed attempt's span stays open until the commit that
 *       records the failure and ends there: its duration includes that commit.</li>
 *   <li>{@code workflow.changes}: after a commit that started compensations, cancelled a step, suspended or resumed
 *       the instance (or scheduled a retry whose attempt's span is not open here), one short span with one event per
 *       such change.</li>
 *   <li>{@code workflow.end}: when the instance finishes, with its status (an error status when it failed).</li>
 * </ul>
 * Sampling follows the stored context: an instance whose start was not sampled records none of its spans.
 */
public final class WorkflowTracing implements WorkflowInterceptor {

    /** The instrumentation scope of the runner's spans. */
    public static final String INSTRUMENTATION_NAME = "net.reactory.workflow";

    private final Tracer tracer;
    /** Failed attempts' spans, until the commit that says whether they are retried. */
    private final FailedAttempts failed = new FailedAttempts(System::nanoTime);

    private WorkflowTracing(Tracer tracer) {
        this.tracer = Objects.requireNonNull(tracer, "tracer");
    }

    /** Tracing through the application's OpenTelemetry (its SDK, its exporters, its sampler). */
    public static WorkflowTracing of(OpenTelemetry openTelemetry) {
        return new WorkflowTracing(openTelemetry.getTracer(INSTRUMENTATION_NAME));
    }

    /** Tracing through this tracer. */
    public static WorkflowTracing of(Tracer tracer) {
        return new WorkflowTracing(tracer);
    }

    // ------------------------------------------------------------------ the workflow span, at start

    @Override
    public Map<String, String> traceContextAtStart(WorkflowInstance instance) {
        Span span = tracer.spanBuilder("workflow " + instance.definition().id())
                .setParent(TraceContexts.extract(instance.traceContext()))
                .setSpanKind(SpanKind.INTERNAL)
                .setAllAttributes(instanceAttributes(instance))
                .startSpan();
        span.end();
        Map<String, String> context = TraceContexts.of(span);
        // No SDK (a no-op tracer): the caller's context stays, for whatever traces it later.
        return context.isEmpty() ? instance.traceContext() : context;
    }

    // ------------------------------------------------------------------ step attempts

    @Override
    public StepOutcome aroundStep(StepAttempt attempt, Proceed next) throws InterruptedException {
        WorkflowInstance instance = attempt.instance();
        ReceivedEvent received = receivedEvent(instance, attempt.pointerId());
        SpanBuilder builder = tracer.spanBuilder("step " + attempt.step())
                .setParent(TraceContexts.extract(instance.traceContext()))
                .setSpanKind(SpanKind.INTERNAL)
                .setAllAttributes(instanceAttributes(instance))
                .setAttribute(STEP_NAME, attempt.step())
                .setAttribute(STEP_ATTEMPT, (long) attempt.attempt());
        SpanContext publisher = received == null ? null : TraceContexts.spanContext(received.traceContext());
        if (publisher != null && publisher.isValid()) builder.addLink(publisher, eventAttributes(received));
        Span span = builder.startSpan();
        if (received != null) span.addEvent("wait.ended", eventAttributes(received));
        if (attempt.attempt() > 1) retried(span, instance);
        StepOutcome outcome;
        try (Scope ignored = span.makeCurrent()) {
            outcome = next.proceed();
        } catch (InterruptedException e) {
            // The runner stops: no commit follows to end the span.
            failed(span, e.getClass().getName(), e);
            span.end();
            throw e;
        } catch (RuntimeException | Error e) {
            // An interceptor further in threw: the runner records it as the attempt's failure, and may retry it.
            failed(span, e.getClass().getName(), e);
            endOrPark(span, instance.id(), attempt, e.getClass().getName());
            throw e;
        }
        StepOutcome recorded;
        try {
            recorded = recorded(span, outcome);
        } catch (RuntimeException | Error e) {
            span.end();
            throw e;
        }
        if (outcome != null && outcome.failed()) endOrPark(span, instance.id(), attempt, errorType(outcome));
        else span.end();
        return recorded;
    }

    /** A failed attempt's span waits for the commit that says whether it is retried; one that records nothing ends now. */
    private void endOrPark(Span span, String instanceId, StepAttempt attempt, String errorType) {
        if (span.isRecording()) failed.park(instanceId, span, attempt.step(), attempt.attempt(), errorType);
        else span.end();
    }

    private static String errorType(StepOutcome outcome) {
        return outcome.failure() != null ? outcome.failure().getClass().getName()
                : outcome.result() instanceof ExecutionResult.Fail fail ? fail.type() : null;
    }

    /** Outcome, error and events of the attempt on its span; a child request is handed the span's context to continue. */
    private static StepOutcome recorded(Span span, StepOutcome outcome) {
        if (outcome == null) return null; // the runner fails the attempt for it
        if (outcome.failure() != null) {
            span.setAttribute(STEP_OUTCOME, "failed");
            failed(span, outcome.failure().getClass().getName(), outcome.failure());
            return outcome;
        }
        switch (outcome.result()) {
            case ExecutionResult.Fail fail -> {
                span.setAttribute(STEP_OUTCOME, "failed");
                failed(span, fail.type(), null);
                span.setStatus(StatusCode.ERROR, String.valueOf(fail.message()));
            }
            case ExecutionResult.WaitForEvent wait -> {
                span.setAttribute(STEP_OUTCOME, "wait");
                span.addEvent("wait.begun", Attributes.of(EVENT_NAME, wait.name(), EVENT_KEY, wait.key()));
            }
            case ExecutionResult.StartChild child -> {
                span.setAttribute(STEP_OUTCOME, "child");
                span.addEvent("child.requested", Attributes.of(CHILD_WORKFLOW, child.workflowId()));
                Map<String, String> context = TraceContexts.of(span);
                if (!context.isEmpty()) return StepOutcome.of(child.withTraceContext(context));
            }
            case ExecutionResult.Sleep sleep -> span.setAttribute(STEP_OUTCOME, "sleep");
            case ExecutionResult.Branch branch -> span.setAttribute(STEP_OUTCOME, "branch");
            case ExecutionResult.Persist persist -> span.setAttribute(STEP_OUTCOME, "persist");
            case ExecutionResult.Next n -> span.setAttribute(STEP_OUTCOME, "completed");
            case ExecutionResult.Outcome o -> span.setAttribute(STEP_OUTCOME, "completed");
            case null -> { }
        }
        return outcome;
    }

    private static void failed(Span span, String errorType, Throwable thrown) {
        span.setAttribute(ERROR_TYPE, errorType);
        if (thrown != null) {
            span.recordException(thrown);
            span.setStatus(StatusCode.ERROR, String.valueOf(thrown.getMessage()));
        }
    }

    /** The attempt after a failed one: the failure it retries, as the instance recorded it. */
    private static void retried(Span span, WorkflowInstance instance) {
        StepError last = instance.lastError();
        AttributesBuilder a = Attributes.builder();
        if (last != null) a.put(ERROR_TYPE, last.type()).put(STEP_ATTEMPT, (long) last.attempt());
        span.addEvent("retry", a.build());
    }

    /** The event a waiting pointer resumes with, or null: its persisted state, given it by the delivery. */
    private static ReceivedEvent receivedEvent(WorkflowInstance instance, int pointerId) {
        List<ExecutionPointer> pointers = instance.pointers();
        for (int i = 0; i < pointers.size(); i++) {
            ExecutionPointer p = pointers.get(i);
            if (p.id() == pointerId) return p.persistedState() instanceof ReceivedEvent e ? e : null;
        }
        return null;
    }

    // ------------------------------------------------------------------ after commits

    @Override
    public void changesCommitted(WorkflowInstance instance, List<WorkflowEvent> changes) {
        List<FailedAttempts.Open> open = failed.isEmpty() ? List.of() : failed.take(instance.id());
        Span span = null;
        for (int i = 0; i < changes.size(); i++) {
            WorkflowEvent change = changes.get(i);
            if (change instanceof WorkflowEvent.RetryScheduled r && retriedOnItsSpan(open, r)) continue;
            Attributes details = switch (change) {
                case WorkflowEvent.RetryScheduled r -> Attributes.of(STEP_NAME, r.step(), STEP_ATTEMPT, (long) r.attempt(),
                        RETRY_AT, String.valueOf(r.retryAt()));
                case WorkflowEvent.CompensationStarted c -> Attributes.of(STEP_NAME, c.step(),
                        io.opentelemetry.api.common.AttributeKey.stringArrayKey("workflow.compensation.owed"), c.owed());
                case WorkflowEvent.StepCancelled c -> Attributes.of(STEP_NAME, c.step());
                case WorkflowEvent.WorkflowSuspended s -> Attributes.of(REASON, String.valueOf(s.reason()));
                case WorkflowEvent.WorkflowResumed r -> Attributes.empty();
                default -> null;
            };
            if (details == null) continue;
            if (span == null) {
                span = tracer.spanBuilder("workflow.changes").setParent(TraceContexts.extract(instance.traceContext()))
                        .setAllAttributes(instanceAttributes(instance)).startSpan();
            }
            span.addEvent(eventName(change), details);
        }
        if (span != null) span.end();
        // Failed attempts the commit did not retry (the workflow fails, compensates, suspends): their outcome is on them.
        for (int i = 0; i < open.size(); i++) open.get(i).span().end();
    }

    /**
     * The retry on the span of the attempt it follows, which it ends, when that span is open here (a retry names the
     * next attempt: it follows attempt - 1 of the same step); false otherwise.
     */
    private static boolean retriedOnItsSpan(List<FailedAttempts.Open> open, WorkflowEvent.RetryScheduled r) {
        for (int i = 0; i < open.size(); i++) {
            FailedAttempts.Open o = open.get(i);
            if (o.attempt() != r.attempt() - 1 || !o.step().equals(r.step())) continue;
            AttributesBuilder a = Attributes.builder().put(RETRY_ATTEMPT, (long) r.attempt());
            if (r.retryAt() != null) {
                a.put(RETRY_AT, r.retryAt().toString());
                if (r.at() != null) a.put(RETRY_DELAY_MS, java.time.Duration.between(r.at(), r.retryAt()).toMillis());
            }
            if (o.errorType() != null) a.put(ERROR_TYPE, o.errorType());
            o.span().addEvent("retry.scheduled", a.build());
            o.span().end();
            open.remove(i);
            return true;
        }
        return false;
    }

    private static String eventName(WorkflowEvent change) {
        return switch (change) {
            case WorkflowEvent.RetryScheduled r -> "retry.scheduled";
            case WorkflowEvent.CompensationStarted c -> "compensation.started";
            case WorkflowEvent.StepCancelled c -> "step.cancelled";
            case WorkflowEvent.WorkflowSuspended s -> "workflow.suspended";
            case WorkflowEvent.WorkflowResumed r -> "workflow.resumed";
            default -> change.kind();
        };
    }

    @Override
    public void workflowFinished(WorkflowInstance instance) {
        Span span = tracer.spanBuilder("workflow.end").setParent(TraceContexts.extract(instance.traceContext()))
                .setAllAttributes(instanceAttributes(instance))
                .setAttribute(STATUS, instance.status().name())
                .startSpan();
        if (instance.status() == WorkflowStatus.FAILED) {
            StepError last = instance.lastError();
            if (last != null) span.setAttribute(ERROR_TYPE, last.type()).setAttribute(STEP_NAME, last.step());
            span.setStatus(StatusCode.ERROR, last == null ? "failed" : String.valueOf(last.message()));
        }
        span.end();
    }

    // ------------------------------------------------------------------ attributes

    private static Attributes instanceAttributes(WorkflowInstance instance) {
        return Attributes.of(WORKFLOW_ID, instance.definition().id().toString(), WORKFLOW_VERSION,
                instance.definition().version().toString(), INSTANCE_ID, instance.id());
    }

    private static Attributes eventAttributes(ReceivedEvent event) {
        AttributesBuilder a = Attributes.builder().put(EVENT_NAME, event.name()).put(EVENT_KEY, event.key());
        if (event.id() != null) a.put(EVENT_ID, event.id());
        if (ChildResult.EVENT_NAME.equals(event.name()) && event.data() instanceof ChildResult r && r.instanceId() != null) {
            a.put(INSTANCE_ID.getKey() + ".child", r.instanceId());
        }
        return a.build();
    }

    /**
     * The context an instance continues, for spans of one's own under it outside its steps (inside a step body,
     * {@code Context.current()} already is the step's span).
     */
    public static Context contextOf(WorkflowInstance instance) {
        return TraceContexts.extract(instance.traceContext());
    }
}
