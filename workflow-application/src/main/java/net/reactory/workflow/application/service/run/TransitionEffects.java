package net.reactory.workflow.application.service.run;

import java.util.List;

import net.reactory.workflow.domain.execution.Transition;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/**
 * What a transition causes beyond its own instance, one implementation per concern: the waits for external
 * events ({@code events.EventWaits}), lifecycle events ({@link LifecyclePublishing}), child workflows
 * ({@code events.ChildWorkflows}), finish waiters and local wake-ups ({@code lifecycle.Poller}). Every commit
 * calls them in this sequence: {@link #beforeSave} with the changes about to be saved, the conditional save,
 * then {@link #afterCommit} with what was saved. Neither throws: an effect that fails is logged and the commit stands.
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

    /** After the save landed: {@code committed} is the instance as stored, with the changes of the save. */
    default void afterCommit(Transition committed) {
    }
}
