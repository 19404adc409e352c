package net.reactory.workflow.application.service.definition;

import net.reactory.workflow.domain.definition.WorkflowDefinition;
import net.reactory.workflow.domain.definition.WorkflowOptions;

/** A definition's options ({@code props}), parsed once when it was registered; the poll-time chores and the step limits ask here. */
public final class DefinitionOptions {

    private DefinitionOptions() {
    }

    public static WorkflowOptions of(WorkflowDefinition definition) {
        return definition.options();
    }
}
