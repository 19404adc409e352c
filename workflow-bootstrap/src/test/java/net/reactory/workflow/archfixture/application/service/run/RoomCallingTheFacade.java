package net.reactory.workflow.archfixture.application.service.run;

import net.reactory.workflow.archfixture.application.service.WorkflowRunnerService;

/** Violates: the rooms below the runner's facade never call back into it (a child start through the facade, as before issue 12). */
public final class RoomCallingTheFacade {

    private final WorkflowRunnerService runner;

    public RoomCallingTheFacade(WorkflowRunnerService runner) {
        this.runner = runner;
    }

    public void startChild() {
        runner.startWorkflow();
    }
}
