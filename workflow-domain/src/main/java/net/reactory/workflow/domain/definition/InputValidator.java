package net.reactory.workflow.domain.definition;

import java.util.List;

/**
 * Checks the data a workflow is started with. A start whose data has violations is refused with all of
 * them listed, and nothing is stored.
 */
@FunctionalInterface
public interface InputValidator {

    /** Every problem of {@code data}; empty when it is valid. Must not throw for bad data: report it. */
    List<String> violations(Object data);

    InputValidator NONE = data -> List.of();
}
