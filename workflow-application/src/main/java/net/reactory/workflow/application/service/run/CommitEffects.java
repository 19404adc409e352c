package net.reactory.workflow.application.service.run;

import java.util.List;

import net.reactory.workflow.domain.execution.Transition;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/**
 * Every {@link TransitionEffects}, in the order a commit calls them. The effects reach back into the rooms
 * that commit (a child starts through the start room, an event resumes a run), so the runner creates this
 * sequence first, hands it to those rooms, and {@link #install installs} the effects once they exist.
 */
public final class CommitEffects implements TransitionEffects {

    private volatile TransitionEffects[] inOrder = new TransitionEffects[0];

    public void install(List<TransitionEffects> effects) {
        inOrder = effects.toArray(TransitionEffects[]::new);
    }

    @Override
    public void beforeSave(List<WorkflowEvent> changes) {
        if (changes.isEmpty()) return;
        for (TransitionEffects effect : inOrder) effect.beforeSave(changes);
    }

    @Override
    public void beforeSave(WorkflowInstance toSave, List<WorkflowEvent> changes) {
        if (changes.isEmpty()) return;
        for (TransitionEffects effect : inOrder) effect.beforeSave(toSave, changes);
    }

    @Override
    public void afterCommit(Transition committed) {
        for (TransitionEffects effect : inOrder) effect.afterCommit(committed);
    }
}
