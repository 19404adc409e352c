package net.reactory.workflow.domain.definition;

import java.util.Objects;

/**
 * A workflow's identity without its version: {@code nameSpace.name}, as in the original runner.
 * The name space may itself contain dots; the name is what follows the last one.
 */
public record WorkflowId(String nameSpace, String name) {

    public WorkflowId {
        Objects.requireNonNull(nameSpace, "nameSpace");
        Objects.requireNonNull(name, "name");
    }

    /** Parses {@code nameSpace.name}; a version suffix is not allowed here, see {@link WorkflowRef}. */
    public static WorkflowId parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("workflow id is missing (expected nameSpace.name)");
        }
        int dot = text.lastIndexOf('.');
        if (dot <= 0 || dot == text.length() - 1 || text.indexOf('@') >= 0) {
            throw new IllegalArgumentException("workflow id '" + text + "' is not of the form nameSpace.name");
        }
        return new WorkflowId(text.substring(0, dot), text.substring(dot + 1));
    }

    @Override
    public String toString() {
        return nameSpace + "." + name;
    }
}
