package net.reactory.workflow.adapter.memory.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import net.reactory.workflow.adapter.memory.MemoryEventStore;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.domain.definition.ErrorBehaviour;
import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.step.StepBody;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/**
 * Acceptance 5: steps throwing runtime and checked exceptions or overflowing their stack, and listeners that
 * throw, never stop the runner; each failure is on its instance and in the log with the instance id.
 */
class FailureIsolationTest extends ResilienceFixture {

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeEach
    void captureLog() {
        originalErr = System.err;
        System.setErr(new PrintStream(new TeeStream(originalErr, log), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreLog() {
        System.setErr(originalErr);
    }

    private static int recurse(int n) {
        return recurse(n + 1) + 1;
    }

    private static Workflow failing(String name, StepBody body, ErrorBehaviour onError) {
        return Workflow.of("res", name, "1.0.0", steps -> steps.startWith("Boom", body).onError(onError));
    }

    @Test
    void givenStepsThatThrowAndListenersThatThrow_whenRun_thenEachFailureOnItsInstanceAndLoggedWithItsIdAndRunnerGoesOn() {
        AtomicInteger listenerCalls = new AtomicInteger();
        WorkflowRunnerService runner = initialized(WorkflowRunnerService.builder().config(config()).store(store).eventStore(new MemoryEventStore()).clock(clock)
                .workflows(List.of(
                        failing("Runtime", ctx -> { throw new IllegalStateException("runtime trouble"); }, ErrorBehaviour.FAIL),
                        failing("Checked", ctx -> { throw new IOException("checked trouble"); }, ErrorBehaviour.FAIL),
                        failing("Overflow", ctx -> ExecutionResult.next(recurse(0)), ErrorBehaviour.FAIL),
                        failing("Null", ctx -> null, ErrorBehaviour.FAIL),
                        Workflow.of("res", "Fine", "1.0.0", steps -> steps.startWith("Ok", ctx -> ExecutionResult.next(Map.of("ok", true))))))
                .listener(event -> {
                    listenerCalls.incrementAndGet();
                    throw new IllegalArgumentException("listener trouble");
                })
                .listener(event -> {
                    throw new AssertionError("listener error");
                }));

        Map<String, String> expected = Map.of(
                "res.Runtime", IllegalStateException.class.getName(),
                "res.Checked", IOException.class.getName(),
                "res.Overflow", StackOverflowError.class.getName(),
                "res.Null", IllegalStateException.class.getName());
        for (var e : expected.entrySet()) {
            String id = start(runner, e.getKey());
            WorkflowInstance failed = awaitStatus(id, WorkflowStatus.FAILED);
            assertThat(failed.lastError().type()).as(e.getKey()).isEqualTo(e.getValue());
            assertThat(failed.lastError().step()).isEqualTo("Boom");
            assertThat(failed.lastError().attempt()).isEqualTo(1);
            awaitIdle(runner);
            assertThat(log.toString(StandardCharsets.UTF_8)).as("the log names instance " + id).contains(id);
        }
        String fine = start(runner, "res.Fine");

        assertThat(awaitStatus(fine, WorkflowStatus.COMPLETE).data()).isEqualTo(Map.of("ok", true));
        assertThat(runner.isInitialized()).isTrue();
        assertThat(listenerCalls.get()).isGreaterThanOrEqualTo(10);
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("lifecycle event publisher failed for instance " + fine);
    }

    @Test
    void givenErrorBehaviours_whenLastAttemptFails_thenSuspendedTerminatedOrFailedWithTheErrorKept() {
        WorkflowRunnerService runner = runner(
                failing("Suspends", ctx -> ExecutionResult.fail("Declined", "card declined"), ErrorBehaviour.SUSPEND),
                failing("Terminates", ctx -> ExecutionResult.fail("Declined", "card declined"), ErrorBehaviour.TERMINATE),
                failing("Fails", ctx -> ExecutionResult.fail("Declined", "card declined"), ErrorBehaviour.FAIL));

        WorkflowInstance suspended = awaitStatus(start(runner, "res.Suspends"), WorkflowStatus.SUSPENDED);
        WorkflowInstance terminated = awaitStatus(start(runner, "res.Terminates"), WorkflowStatus.TERMINATED);
        WorkflowInstance failed = awaitStatus(start(runner, "res.Fails"), WorkflowStatus.FAILED);

        for (WorkflowInstance i : List.of(suspended, terminated, failed)) {
            assertThat(i.lastError()).satisfies(e -> {
                assertThat(e.type()).isEqualTo("Declined");
                assertThat(e.message()).isEqualTo("card declined");
                assertThat(e.attempt()).isEqualTo(1);
                assertThat(e.at()).isEqualTo(T0);
            });
        }
        assertThat(suspended.pointers()).singleElement().satisfies(p -> assertThat(p.attempt()).as("a fresh attempt on resume").isEqualTo(2));
    }

    /** Writes to the real stderr and to the captured log. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws IOException {
            a.write(c);
            synchronized (b) {
                b.write(c);
            }
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            synchronized (b) {
                b.write(buf, off, len);
            }
        }
    }
}
