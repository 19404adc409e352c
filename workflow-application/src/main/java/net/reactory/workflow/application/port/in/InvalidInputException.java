package net.reactory.workflow.application.port.in;

import java.util.List;

/** A start refused because of its data; {@link #violations()} lists every problem found. Nothing was stored. */
public final class InvalidInputException extends IllegalArgumentException {

    private final String workflow;
    private final List<String> violations;

    public InvalidInputException(String workflow, List<String> violations) {
        super("input of workflow " + workflow + " is invalid: " + String.join("; ", violations));
        this.workflow = workflow;
        this.violations = List.copyOf(violations);
    }

    public String workflow() {
        return workflow;
    }

    public List<String> violations() {
        return violations;
    }
}
