package net.reactory.workflow.application.service.run;

import java.util.ArrayList;
import java.util.List;

import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/**
 * Every {@link TransitionEffects}, in the order a commit calls them. The effects reach back into the rooms
 * that commit (a child starts through the start room, an event resumes a run), so the runner creates this
 * sequence first, hands it to those rooms, and {@link #install installs} the effects once they exist.
 *
 * <p>What each effect has to do with which commit is worked out once, at install, not asked on every commit: a
 * quiet commit (see {@link TransitionEffects}) is recognised once here and reaches only the effects that act on
 * one; {@code beforeSave} reaches only the effects that override it (the others' default does nothing).
 */
public final class CommitEffects implements TransitionEffects {

    /** The effects in order: all of them, those that act on quiet commits, those with a beforeSave of their own. */
    private record Installed(TransitionEffects[] all, TransitionEffects[] onQuiet, TransitionEffects[] beforeSave) {
    }

    private volatile Installed installed = new Installed(new TransitionEffects[0], new TransitionEffects[0], new TransitionEffects[0]);

    public void install(List<TransitionEffects> effects) {
        List<TransitionEffects> onQuiet = new ArrayList<>();
        List<TransitionEffects> beforeSave = new ArrayList<>();
        for (TransitionEffects effect : effects) {
            if (effect.actsOnQuietCommits()) onQuiet.add(effect);
            if (overridesBeforeSave(effect)) beforeSave.add(effect);
        }
        installed = new Installed(effects.toArray(TransitionEffects[]::new), onQuiet.toArray(TransitionEffects[]::new),
                beforeSave.toArray(TransitionEffects[]::new));
    }

    @Override
    public void beforeSave(List<WorkflowEvent> changes) {
        if (!WorkflowEvent.anyReachesBeyondInstance(changes)) return;
        for (TransitionEffects effect : installed.beforeSave()) effect.beforeSave(changes);
    }

    @Override
    public void beforeSave(WorkflowInstance toSave, List<WorkflowEvent> changes) {
        if (changes.isEmpty() || isQuiet(toSave, changes)) return;
        for (TransitionEffects effect : installed.beforeSave()) effect.beforeSave(toSave, changes);
    }

    @Override
    public void afterCommit(WorkflowInstance committed, List<WorkflowEvent> changes) {
        Installed effects = installed;
        for (TransitionEffects effect : isQuiet(committed, changes) ? effects.onQuiet() : effects.all()) effect.afterCommit(committed, changes);
    }

    private static boolean isQuiet(WorkflowInstance instance, List<WorkflowEvent> changes) {
        return !instance.isFinished() && !WorkflowEvent.anyReachesBeyondInstance(changes);
    }

    /** Whether {@code effect} declares either beforeSave itself; in doubt, yes. */
    private static boolean overridesBeforeSave(TransitionEffects effect) {
        try {
            Class<?> type = effect.getClass();
            return type.getMethod("beforeSave", List.class).getDeclaringClass() != TransitionEffects.class
                    || type.getMethod("beforeSave", WorkflowInstance.class, List.class).getDeclaringClass() != TransitionEffects.class;
        } catch (NoSuchMethodException | SecurityException e) {
            return true;
        }
    }
}
