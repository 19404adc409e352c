package net.reactory.workflow.archfixture.application.service.run;

import net.reactory.workflow.archfixture.application.service.WorkflowRunnerBuilder;

/** Violates: the rooms below the runner's facade never call back into it (here, by building one of their own). */
public final class RoomBuildingARunner {

    public Object runner() {
        return new WorkflowRunnerBuilder().build();
    }
}
