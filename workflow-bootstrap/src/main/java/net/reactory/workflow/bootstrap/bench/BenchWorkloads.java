package net.reactory.workflow.bootstrap.bench;

import java.util.List;
import java.util.stream.IntStream;

import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.step.StepBody;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.language.WorkflowBuilder;

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

    static final String EVENT = "bench.go";
    private static final List<Integer> FANOUT_ITEMS = IntStream.range(0, 100).boxed().toList();

    static String eventKey(int index) {
        return "k" + index;
    }

    private BenchWorkloads() {
    }

    static Workflow workflow(String workload) {
        return switch (workload) {
            case "w3" -> Workflow.of("bench", "W3", "1.0.0", steps -> steps.startWith("S1", NOOP).then("S2", NOOP).then("S3", NOOP));
            case "w10-data" -> Workflow.of("bench", "W10Data", "1.0.0", steps -> {
                steps.startWith("S1", INCREMENT);
                for (int i = 2; i <= 10; i++) steps.then("S" + i, INCREMENT);
            });
            case "fanout" -> WorkflowBuilder.define("bench", "Fanout", "1.0.0", Integer.class)
                    .forEach("Each", index -> FANOUT_ITEMS, 0, body -> body.then("Work", index -> index))
                    .build();
            case "events" -> WorkflowBuilder.define("bench", "Events", "1.0.0", Integer.class)
                    .startWith("Begin", index -> index)
                    .waitFor("Wait", EVENT, BenchWorkloads::eventKey, (index, event) -> index)
                    .build();
            default -> throw new BenchOptions.UsageException("unknown workload " + workload);
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
