package net.reactory.workflow.domain.definition;

import net.reactory.workflow.domain.instance.WorkflowStatus;


/** What happens to a workflow when a step has failed its last attempt. */
public enum ErrorBehaviour {
    /** The workflow ends as {@link WorkflowStatus#FAILED}, the error kept on the instance. */
    FAIL,
    /** The workflow is suspended until an operator resumes it. */
    SUSPEND,
    /** The workflow ends as {@link WorkflowStatus#TERMINATED}. */
    TERMINATE,
    /** Compensation steps run in reverse order, then the workflow ends as failed. */
    COMPENSATE
}
