package net.reactory.workflow.bootstrap.bench;

import net.reactory.workflow.domain.ExecutionResult;
import net.reactory.workflow.domain.StepBody;
import net.reactory.workflow.domain.Workflow;

/** The benchmark's workflows. */
final class BenchWorkloads {

    /** The data of {@code w10-data}: each step makes a new record, none mutates one. */
    record Counter(int index, int steps) {
    }

    private static final StepBody NOOP = ctx -> ExecutionResult.next();
    private static final StepBody INCREMENT = ctx -> {
        Counter c = (Counter) ctx.data();
        return ExecutionResult.next(new Counter(c.index(), c.steps() + 1));
    };

    private BenchWorkloads() {
    }

    static Workflow workflow(String workload) {
        return switch (workload) {
            case "w3" -> Workflow.of("bench", "W3", "1.0.0", steps -> steps.startWith("S1", NOOP).then("S2", NOOP).then("S3", NOOP));
            case "w10-data" -> Workflow.of("bench", "W10Data", "1.0.0", steps -> {
                steps.startWith("S1", INCREMENT);
                for (int i = 2; i <= 10; i++) steps.then("S" + i, INCREMENT);
            });
            default -> throw new BenchOptions.UsageException("workload " + workload + " needs the workflow language of issue 3, not built yet");
        };
    }

    static Object data(String workload, int index) {
        return workload.equals("w10-data") ? new Counter(index, 0) : Integer.valueOf(index);
    }

    /** Whether a finished instance did what its workload says. */
    static boolean correct(String workload, Object data) {
        return !workload.equals("w10-data") || (data instanceof Counter c && c.steps() == 10);
    }
}
