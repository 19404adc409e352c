package net.reactory.workflow.domain.step;

/**
 * User code of one step. It reads the context and says what happens next; it must not
 * mutate the data it is given. It may block: the runner calls it on a virtual thread.
 * It may be called more than once for the same execution after a crash (at-least-once);
 * {@link StepContext#executionId()} is stable across those calls to de-duplicate side effects.
 */
@FunctionalInterface
public interface StepBody {
    ExecutionResult run(StepContext context) throws Exception;
}
