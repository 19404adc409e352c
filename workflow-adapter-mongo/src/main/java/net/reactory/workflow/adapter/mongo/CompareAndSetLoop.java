package net.reactory.workflow.adapter.mongo;

/**
 * Read, check, write on exactly what was read; when another write came in between, again, but a bounded number of
 * times: a document that keeps changing ends the loop with a {@link CompareAndSetExhaustedException}.
 */
final class CompareAndSetLoop {

    /** Each lost race means another write landed; this many in a row is no longer a race but a fight. */
    static final int MAX_ATTEMPTS = 32;

    private CompareAndSetLoop() {
    }

    /** One read-check-write: the answer, or {@code null} when another write came between the read and the write. */
    @FunctionalInterface
    interface Attempt<T> {
        T once();
    }

    static <T> T run(String what, String instanceId, Attempt<T> attempt) {
        return run(what, instanceId, MAX_ATTEMPTS, attempt);
    }

    static <T> T run(String what, String instanceId, int maxAttempts, Attempt<T> attempt) {
        for (int tried = 0; tried < maxAttempts; tried++) {
            T answer = attempt.once();
            if (answer != null) return answer;
        }
        throw new CompareAndSetExhaustedException(what, instanceId, maxAttempts);
    }
}
