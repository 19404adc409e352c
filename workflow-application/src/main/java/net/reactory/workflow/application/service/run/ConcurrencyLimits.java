package net.reactory.workflow.application.service.run;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

import net.reactory.workflow.application.service.definition.DefinitionOptions;
import net.reactory.workflow.domain.definition.DefinitionKey;
import net.reactory.workflow.domain.definition.WorkflowDefinition;
import net.reactory.workflow.domain.definition.WorkflowOptions;

/**
 * {@code props.maxConcurrent}: at most that many step bodies of one definition run at once on this node,
 * on top of the runner's global limit. A definition without props costs nothing: it is never looked up.
 */
final class ConcurrencyLimits {

    private static final Semaphore UNLIMITED = new Semaphore(Integer.MAX_VALUE);

    private final Map<DefinitionKey, Semaphore> perDefinition = new ConcurrentHashMap<>();

    /** The definition's semaphore, or null when it sets no limit. */
    Semaphore forDefinition(WorkflowDefinition definition) {
        if (definition.props().isEmpty()) return null;
        Semaphore s = perDefinition.computeIfAbsent(definition.key(), k -> {
            int limit = DefinitionOptions.of(definition).maxConcurrent();
            return limit > 0 ? new Semaphore(limit) : UNLIMITED;
        });
        return s == UNLIMITED ? null : s;
    }
}
