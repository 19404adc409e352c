package net.reactory.workflow.application.service.run;

import java.util.ArrayList;
import java.util.List;

import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/**
 * Every {@link TransitionEffects}, in the order a commit calls them. The effects reach back into the rooms
 * that commit (a child starts through the start room, an event resumes a run), so the runner creates this
 * sequence first, hands it to those rooms, and {@link #install installs} the effects once they exist. A quiet
 * commit (see {@link TransitionEffects}) is recognised once here, rather than by each effect looking at its changes.
 */
public final class CommitEffects implements TransitionEffects {

    /** The effects in order: all of them, and those that act on quiet commits. Installed together. */
    private record Installed(TransitionEffects[] all, TransitionEffects[] onQuiet) {
    }

    private volatile Installed installed = new Installed(new TransitionEffects[0], new TransitionEffects[0]);

    public void install(List<TransitionEffects> effects) {
        List<TransitionEffects> onQuiet = new ArrayList<>();
        for (TransitionEffects effect : effects) if (effect.actsOnQuietCommits()) onQuiet.add(effect);
        installed = new Installed(effects.toArray(TransitionEffects[]::new), onQuiet.toArray(TransitionEffects[]::new));
    }

    @Override
    public void beforeSave(List<WorkflowEvent> changes) {
        if (!WorkflowEvent.anyReachesBeyondInstance(changes)) return;
        for (TransitionEffects effect : installed.all()) effect.beforeSave(changes);
    }

    @Override
    public void beforeSave(WorkflowInstance toSave, List<WorkflowEvent> changes) {
        if (changes.isEmpty() || isQuiet(toSave, changes)) return;
        for (TransitionEffects effect : installed.all()) effect.beforeSave(toSave, changes);
    }

    @Override
    public void afterCommit(WorkflowInstance committed, List<WorkflowEvent> changes) {
        Installed effects = installed;
        for (TransitionEffects effect : isQuiet(committed, changes) ? effects.onQuiet() : effects.all()) effect.afterCommit(committed, changes);
    }

    private static boolean isQuiet(WorkflowInstance instance, List<WorkflowEvent> changes) {
        return !instance.isFinished() && !WorkflowEvent.anyReachesBeyondInstance(changes);
    }
}
