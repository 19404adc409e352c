package net.reactory.workflow.domain.definition;

/**
 * What a step is in the flow its builder wrote: a plain task, or the step behind one of the control-flow words.
 * Only for showing a definition (the dashboard draws each kind in its own shape); the runner never reads it.
 */
public enum StepKind {
    TASK("task"), DECIDE("decide"), IF("if"), WHILE("while"), FOREACH("foreach"), PARALLEL("parallel"), SAGA("saga"),
    DELAY("delay"), SCHEDULE("schedule"), RECUR("recur"), WAIT_FOR("waitFor"), CHILD("child"), END("end");

    private final String word;

    StepKind(String word) {
        this.word = word;
    }

    /** The word the admin API shows: {@code task}, {@code decide}, {@code waitFor}... */
    public String word() {
        return word;
    }
}
