package net.reactory.workflow.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

import net.reactory.workflow.adapter.memory.MemoryEventStore;
import net.reactory.workflow.adapter.memory.MemoryInstanceStore;
import net.reactory.workflow.application.port.in.CommandOrigin;
import net.reactory.workflow.application.port.in.StartRequest;
import net.reactory.workflow.application.port.in.WorkflowInterceptor;
import net.reactory.workflow.application.service.RunnerConfig;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.domain.definition.RetrySpec;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.instance.WorkflowStatus;
import net.reactory.workflow.domain.step.ExecutionResult;

/** The spans of a traced runner: one trace from the caller to the last step, children nested, events linked. */
class WorkflowTracingTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exported)).build()).build();
    private final Tracer callers = otel.getTracer("test-callers");
    private int flakyTries;
    private WorkflowRunnerService runner;

    private final Workflow parent = Workflow.of("tr", "Parent", "1.0.0", steps -> steps
            .startWith("prepare", ctx -> ++flakyTries == 1 ? ExecutionResult.fail("Busy", "try again") : ExecutionResult.next())
            // No jitter (the runner's default spreads delays): the retry's delay on the span is exactly 10 ms.
            .maxAttempts(2).retry(RetrySpec.backoff(Duration.ofMillis(10), Duration.ofMillis(10)).withJitter(0))
            .then("await", ctx -> ctx.receivedEvent() != null ? ExecutionResult.next() : ExecutionResult.waitForEvent("go", "k-1"))
            .then("spawn", ctx -> {
                // The body's own spans nest under its step's span: it is current while the body runs.
                callers.spanBuilder("inside spawn").startSpan().end();
                return ctx.receivedEvent() != null ? ExecutionResult.next() : ExecutionResult.startChild("tr.Child", null, Map.of());
            })
            .then("finish", ctx -> ExecutionResult.next()));
    private final Workflow child = Workflow.of("tr", "Child", "2.0.0", steps -> steps
            .startWith("one", ctx -> ExecutionResult.next())
            .then("two", ctx -> ExecutionResult.next()));

    @AfterEach
    void stop() {
        if (runner != null) runner.stop().join();
        otel.close();
    }

    private void startRunner() {
        runner = WorkflowRunnerService.builder().config(RunnerConfig.defaults().withPollInterval(Duration.ofMillis(50)))
                .store(new MemoryInstanceStore()).eventStore(new MemoryEventStore()).clock(InstantSource.system())
                .workflow(parent).workflow(child).interceptor(WorkflowTracing.of(otel)).build();
        runner.initialize().join();
    }

    private static Map<String, String> contextOf(Span span) {
        return TraceContexts.of(span);
    }

    private List<SpanData> named(String name) {
        return exported.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
    }

    private SpanData one(String name) {
        List<SpanData> spans = named(name);
        assertThat(spans).as(name).hasSize(1);
        return spans.get(0);
    }

    @Test
    void givenAStartWithATraceparent_whenTheWorkflowRetriesWaitsAndRunsAChild_thenOneTraceNestsEveryStepAndLinksThePublisher()
            throws Exception {
        startRunner();
        Span request = callers.spanBuilder("POST /api/v1/instances").startSpan();
        String id = runner.startWorkflow(StartRequest.of("tr.Parent", null, Map.of()).withTraceContext(contextOf(request)))
                .get(10, TimeUnit.SECONDS);
        request.end();
        await().atMost(WAIT).until(() -> runner.getInstance(id).orElseThrow().pointers().stream().anyMatch(p -> p.isWaiting()));
        Span publisher = callers.spanBuilder("publish go").startSpan();
        runner.publishEvent("ev-1", "go", "k-1", Map.of(), null, CommandOrigin.API, contextOf(publisher)).get(10, TimeUnit.SECONDS);
        publisher.end();

        assertThat(runner.awaitFinished(id, WAIT).join().status()).isEqualTo(WorkflowStatus.COMPLETE);
        await().atMost(WAIT).until(() -> named("workflow.end").size() == 2);

        String traceId = request.getSpanContext().getTraceId();
        List<SpanData> all = exported.getFinishedSpanItems().stream().filter(s -> !s.getName().equals("publish go")).toList();
        assertThat(all).allSatisfy(s -> assertThat(s.getTraceId()).as(s.getName()).isEqualTo(traceId));

        SpanData workflow = one("workflow tr.Parent");
        assertThat(workflow.getParentSpanId()).isEqualTo(request.getSpanContext().getSpanId());
        List<SpanData> steps = all.stream().filter(s -> s.getName().startsWith("step ")).toList();
        assertThat(steps).extracting(SpanData::getName).contains("step prepare", "step await", "step spawn", "step finish",
                "step one", "step two");
        assertThat(steps).allSatisfy(s -> {
            assertThat(s.getAttributes().get(WorkflowAttributes.WORKFLOW_ID)).isNotNull();
            assertThat(s.getAttributes().get(WorkflowAttributes.WORKFLOW_VERSION)).isNotNull();
            assertThat(s.getAttributes().get(WorkflowAttributes.INSTANCE_ID)).isNotNull();
            assertThat(s.getAttributes().get(WorkflowAttributes.STEP_NAME)).isEqualTo(s.getName().substring(5));
            assertThat(s.getAttributes().get(WorkflowAttributes.STEP_ATTEMPT)).isPositive();
            assertThat(s.getAttributes().get(WorkflowAttributes.STEP_OUTCOME)).isNotNull();
        });

        List<SpanData> prepare = named("step prepare");
        assertThat(prepare).hasSize(2).allSatisfy(s -> assertThat(s.getParentSpanId()).isEqualTo(workflow.getSpanId()));
        SpanData failedAttempt = prepare.stream().filter(s -> s.getAttributes().get(WorkflowAttributes.STEP_ATTEMPT) == 1).findFirst().orElseThrow();
        assertThat(failedAttempt.getAttributes().get(WorkflowAttributes.STEP_OUTCOME)).isEqualTo("failed");
        assertThat(failedAttempt.getAttributes().get(WorkflowAttributes.ERROR_TYPE)).isEqualTo("Busy");
        assertThat(failedAttempt.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(failedAttempt.getEvents()).singleElement().satisfies(e -> {
            assertThat(e.getName()).isEqualTo("retry.scheduled");
            assertThat(e.getAttributes().get(WorkflowAttributes.RETRY_ATTEMPT)).isEqualTo(2L);
            assertThat(e.getAttributes().get(WorkflowAttributes.RETRY_DELAY_MS)).isEqualTo(10L);
            assertThat(e.getAttributes().get(WorkflowAttributes.RETRY_AT)).isNotBlank();
            assertThat(e.getAttributes().get(WorkflowAttributes.ERROR_TYPE)).isEqualTo("Busy");
        });
        assertThat(named("workflow.changes")).as("the retry is on its attempt's span, not on a span of its own")
                .allSatisfy(s -> assertThat(s.getEvents()).noneSatisfy(e -> assertThat(e.getName()).isEqualTo("retry.scheduled")));
        assertThat(prepare).anySatisfy(s -> assertThat(s.getEvents()).extracting(e -> e.getName()).contains("retry"));

        List<SpanData> awaits = named("step await");
        assertThat(awaits).hasSize(2);
        assertThat(awaits).anySatisfy(s -> assertThat(s.getEvents()).extracting(e -> e.getName()).contains("wait.begun"));
        SpanData resumed = awaits.stream().filter(s -> !s.getLinks().isEmpty()).findFirst().orElseThrow();
        assertThat(resumed.getLinks()).singleElement().satisfies(l -> {
            assertThat(l.getSpanContext().getSpanId()).isEqualTo(publisher.getSpanContext().getSpanId());
            assertThat(l.getSpanContext().getTraceId()).isEqualTo(publisher.getSpanContext().getTraceId());
        });
        assertThat(resumed.getEvents()).extracting(e -> e.getName()).contains("wait.ended");

        SpanData asking = named("step spawn").stream().filter(s -> "child".equals(s.getAttributes().get(WorkflowAttributes.STEP_OUTCOME)))
                .findFirst().orElseThrow();
        List<String> spawnSpans = named("step spawn").stream().map(SpanData::getSpanId).toList();
        assertThat(named("inside spawn")).hasSize(2).allSatisfy(s -> assertThat(s.getParentSpanId()).isIn(spawnSpans));
        SpanData childWorkflow = one("workflow tr.Child");
        assertThat(childWorkflow.getParentSpanId()).isEqualTo(asking.getSpanId());
        assertThat(named("step one")).singleElement().satisfies(s -> {
            assertThat(s.getParentSpanId()).isEqualTo(childWorkflow.getSpanId());
            assertThat(s.getAttributes().get(WorkflowAttributes.WORKFLOW_VERSION)).isEqualTo("2.0.0");
        });
        assertThat(named("workflow.end")).extracting(SpanData::getParentSpanId)
                .containsExactlyInAnyOrder(workflow.getSpanId(), childWorkflow.getSpanId());
    }

    @Test
    void givenAStepThatFailsWithNoAttemptLeft_whenTheWorkflowFails_thenItsAttemptSpanEndsAtTheCommitWithNoRetryEvent() throws Exception {
        Workflow failing = Workflow.of("tr", "Failing", "1.0.0", steps -> steps
                .startWith("only", ctx -> ExecutionResult.fail("Broken", "no way")).maxAttempts(1));
        runner = WorkflowRunnerService.builder().config(RunnerConfig.defaults().withPollInterval(Duration.ofMillis(50)))
                .store(new MemoryInstanceStore()).eventStore(new MemoryEventStore()).clock(InstantSource.system())
                .workflow(failing).interceptor(WorkflowTracing.of(otel)).build();
        runner.initialize().join();

        String id = runner.startWorkflow(StartRequest.of("tr.Failing", null, Map.of())).get(10, TimeUnit.SECONDS);

        assertThat(runner.awaitFinished(id, WAIT).join().status()).isEqualTo(WorkflowStatus.FAILED);
        await().atMost(WAIT).until(() -> named("workflow.end").size() == 1);
        SpanData attempt = one("step only");
        assertThat(attempt.hasEnded()).isTrue();
        assertThat(attempt.getAttributes().get(WorkflowAttributes.ERROR_TYPE)).isEqualTo("Broken");
        assertThat(attempt.getEvents()).noneSatisfy(e -> assertThat(e.getName()).isEqualTo("retry.scheduled"));
        assertThat(attempt.getEndEpochNanos()).isLessThanOrEqualTo(one("workflow.end").getStartEpochNanos());
    }

    @Test
    void givenAnInterceptorInsideTheTracingThatThrowsOnce_whenTheAttemptIsRetried_thenItsSpanCarriesTheRetryWithTheThrownType()
            throws Exception {
        Workflow flaky = Workflow.of("tr", "Thrown", "1.0.0", steps -> steps
                .startWith("call", ctx -> ExecutionResult.next())
                .maxAttempts(2).retry(RetrySpec.backoff(Duration.ofMillis(10), Duration.ofMillis(10))));
        WorkflowInterceptor throwsOnce = new WorkflowInterceptor() {
            @Override
            public StepOutcome aroundStep(StepAttempt attempt, Proceed next) throws InterruptedException {
                if (attempt.attempt() == 1) throw new IllegalStateException("interceptor down");
                return next.proceed();
            }
        };
        runner = WorkflowRunnerService.builder().config(RunnerConfig.defaults().withPollInterval(Duration.ofMillis(50)))
                .store(new MemoryInstanceStore()).eventStore(new MemoryEventStore()).clock(InstantSource.system())
                .workflow(flaky).interceptor(WorkflowTracing.of(otel)).interceptor(throwsOnce).build();
        runner.initialize().join();

        String id = runner.startWorkflow(StartRequest.of("tr.Thrown", null, Map.of())).get(10, TimeUnit.SECONDS);

        assertThat(runner.awaitFinished(id, WAIT).join().status()).isEqualTo(WorkflowStatus.COMPLETE);
        await().atMost(WAIT).until(() -> named("workflow.end").size() == 1);
        SpanData first = named("step call").stream().filter(s -> s.getAttributes().get(WorkflowAttributes.STEP_ATTEMPT) == 1)
                .findFirst().orElseThrow();
        assertThat(first.getEvents()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("retry.scheduled");
            assertThat(e.getAttributes().get(WorkflowAttributes.RETRY_ATTEMPT)).isEqualTo(2L);
            assertThat(e.getAttributes().get(WorkflowAttributes.ERROR_TYPE)).isEqualTo("java.lang.IllegalStateException");
        });
    }

    @Test
    void givenAStartWithoutATraceparent_whenItRuns_thenANewTraceRootedAtTheWorkflowSpan() throws Exception {
        startRunner();
        String id = runner.startWorkflow(StartRequest.of("tr.Child", null, Map.of())).get(10, TimeUnit.SECONDS);

        assertThat(runner.awaitFinished(id, WAIT).join().status()).isEqualTo(WorkflowStatus.COMPLETE);
        await().atMost(WAIT).until(() -> named("workflow.end").size() == 1);
        SpanData root = one("workflow tr.Child");
        assertThat(root.getParentSpanId()).isEqualTo(SpanId.getInvalid());
        assertThat(runner.getInstance(id).orElseThrow().traceContext().get("traceparent")).contains(root.getSpanId());
        assertThat(named("step two")).singleElement().satisfies(s -> assertThat(s.getTraceId()).isEqualTo(root.getTraceId()));
    }

    @Test
    void givenANoopOpenTelemetry_whenAWorkflowRuns_thenItCompletesAndTheCallersContextIsKept() throws Exception {
        runner = WorkflowRunnerService.builder().config(RunnerConfig.defaults().withPollInterval(Duration.ofMillis(50)))
                .store(new MemoryInstanceStore()).eventStore(new MemoryEventStore()).clock(InstantSource.system())
                .workflow(child).interceptor(WorkflowTracing.of(io.opentelemetry.api.OpenTelemetry.noop())).build();
        runner.initialize().join();
        Map<String, String> caller = Map.of("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

        String id = runner.startWorkflow(StartRequest.of("tr.Child", null, Map.of()).withTraceContext(caller)).get(10, TimeUnit.SECONDS);

        assertThat(runner.awaitFinished(id, WAIT).join().status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(runner.getInstance(id).orElseThrow().traceContext()).isEqualTo(caller);
    }
}
