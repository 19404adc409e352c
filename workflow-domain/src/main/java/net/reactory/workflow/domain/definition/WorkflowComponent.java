package net.reactory.workflow.domain.definition;

import net.reactory.workflow.domain.language.StepsBuilder;


/**
 * The code of a workflow: it declares the step graph on the builder it is given.
 * The counterpart of the original runner's {@code component} (a workflow-es workflow class).
 */
@FunctionalInterface
public interface WorkflowComponent {
    void build(StepsBuilder steps);
}
