package net.reactory.workflow.application.service;

import net.reactory.workflow.domain.WorkflowDefinition;
import net.reactory.workflow.domain.WorkflowOptions;

/** A definition's options ({@code props}), read in this one place: the poll-time chores and the step limits ask here. */
final class DefinitionOptions {

    private DefinitionOptions() {
    }

    static WorkflowOptions of(WorkflowDefinition definition) {
        return WorkflowOptions.of(definition.workflow());
    }
}
