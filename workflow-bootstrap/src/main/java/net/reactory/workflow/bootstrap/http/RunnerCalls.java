package net.reactory.workflow.bootstrap.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import net.reactory.workflow.application.port.in.LogSafe;
import net.reactory.workflow.application.port.in.CommandOrigin;
import net.reactory.workflow.application.port.in.Refusal;
import net.reactory.workflow.application.port.in.WorkflowRunner;

/** How the resources call the runner: its futures waited for within a bound, and the refusals of the edge itself audited. */
final class RunnerCalls {

    private static final Logger log = LoggerFactory.getLogger(RunnerCalls.class);
    static final long TIMEOUT_SECONDS = 30;
    static final String ENTRY_POINT = "http";

    private RunnerCalls() {
    }

    /** The future's value; what it failed with is rethrown unwrapped, a timeout is a 503. */
    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = Refusal.unwrap(e);
            throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
        } catch (TimeoutException e) {
            throw ApiException.unavailable("the runner did not answer within " + TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted while the daemon stops");
        }
    }

    static CommandOrigin origin(String caller) {
        return new CommandOrigin(caller, ENTRY_POINT);
    }

    /** Audits a command refused here, before the runner saw it; a failing audit log is logged and does not change the answer. */
    static void auditRefusal(WorkflowRunner runner, String caller, String command, String target, String reason) {
        try {
            runner.auditRefusal(origin(caller), command, target, reason);
        } catch (RuntimeException e) {
            log.warn("audit log failed to record {} of {}: {}", command, LogSafe.of(target), LogSafe.of(e));
        }
    }
}
