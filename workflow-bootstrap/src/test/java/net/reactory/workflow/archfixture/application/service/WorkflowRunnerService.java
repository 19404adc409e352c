package net.reactory.workflow.archfixture.application.service;

/** The fixtures' runner facade, named as the real one: the rooms below it must not call it. */
public final class WorkflowRunnerService {

    public void startWorkflow() {
    }
}
