package net.reactory.workflow.archfixture.application.service;

/** The fixtures' runner builder, named as the real one: a room that made a runner would own the facade. */
public final class WorkflowRunnerBuilder {

    public WorkflowRunnerService build() {
        return new WorkflowRunnerService();
    }
}
