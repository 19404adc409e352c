package net.reactory.workflow.domain.definition;

import java.util.List;

/** A workflow that cannot be registered; {@link #problems()} lists every problem found, not just the first. */
public final class InvalidWorkflowException extends IllegalArgumentException {

    private final String workflow;
    private final List<String> problems;

    public InvalidWorkflowException(String workflow, List<String> problems) {
        super("workflow " + workflow + " is invalid: " + String.join("; ", problems));
        this.workflow = workflow;
        this.problems = List.copyOf(problems);
    }

    public String workflow() {
        return workflow;
    }

    public List<String> problems() {
        return problems;
    }
}
