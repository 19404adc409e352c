package net.reactory.workflow.application.service.run;

import java.util.List;

import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/**
 * What a transition causes beyond its own instance, one implementation per concern: the waits for external
 * events ({@code events.EventWaits}), lifecycle events ({@link LifecyclePublishing}), child workflows
 * ({@code events.ChildWorkflows}), finish waiters and local wake-ups ({@code lifecycle.Poller}). Every commit
 * calls them in this sequence: {@link #beforeSave} with the changes about to be saved, the conditional save,
 * then {@link #afterCommit} with what was saved. Neither throws: an effect that fails is logged and the commit stands.
 *
 * <p>Most commits are quiet: they leave their instance unfinished and none of their changes reaches beyond it
 * ({@link WorkflowEvent#anyReachesBeyondInstance}). {@link CommitEffects} calls no {@code beforeSave} for a quiet
 * commit (nothing needs to exist before it is saved), and its {@code afterCommit} only on the effects that
 * {@link #actsOnQuietCommits act on quiet commits}.
 */
public interface TransitionEffects {

    /** Before the save: what must exist before the instance says it waits for it, so that no crash loses it. */
    default void beforeSave(List<WorkflowEvent> changes) {
    }

    /**
     * Before the save of {@code toSave}, for effects that must know the instance as it is about to be written (a
     * parent about to finish leaves word of the children to terminate); by default {@link #beforeSave(List)}.
     */
    default void beforeSave(WorkflowInstance toSave, List<WorkflowEvent> changes) {
        beforeSave(changes);
    }

    /**
     * After the save landed: {@code committed} is the instance as stored, {@code changes} those of the save. Two
     * arguments rather than a {@code Transition}, so that a commit builds no object only to hand them over.
     */
    default void afterCommit(WorkflowInstance committed, List<WorkflowEvent> changes) {
    }

    /**
     * Whether this effect has anything to do after a quiet commit (see above). Asked once, when the effects are
     * installed; an effect that only deals with waits, children or finished instances answers false, and is then
     * not called for the commits of the steps in between.
     */
    default boolean actsOnQuietCommits() {
        return true;
    }
}
