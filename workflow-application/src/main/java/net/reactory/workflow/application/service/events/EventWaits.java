package net.reactory.workflow.application.service.events;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import net.reactory.workflow.application.port.in.LogSafe;
import net.reactory.workflow.application.service.run.TransitionEffects;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/**
 * The waits of pointers for external events, kept in step with the commits: registered before the save that
 * makes a pointer wait (so a crash after it cannot leave a wait nobody wakes), handed an event already pending
 * once the save landed, and removed when their instance finishes. Not called for quiet commits (the steps in
 * between), which register, remove or finish nothing.
 */
public final class EventWaits implements TransitionEffects {

    private static final Logger log = LoggerFactory.getLogger(EventWaits.class);

    private final EventDelivery delivery;

    public EventWaits(EventDelivery delivery) {
        this.delivery = delivery;
    }

    @Override
    public boolean actsOnQuietCommits() {
        return false;
    }

    @Override
    public void beforeSave(List<WorkflowEvent> changes) {
        for (int i = 0; i < changes.size(); i++) {
            if (changes.get(i) instanceof WorkflowEvent.EventAwaited wait) {
                try {
                    delivery.awaiting(wait);
                } catch (RuntimeException e) {
                    log.warn("the wait of instance {} for {}/{} could not be registered before its save: {}", wait.instanceId(),
                            LogSafe.of(wait.eventName()), LogSafe.of(wait.eventKey()), LogSafe.of(e));
                }
            }
        }
    }

    @Override
    public void afterCommit(WorkflowInstance instance, List<WorkflowEvent> changes) {
        for (int i = 0; i < changes.size(); i++) {
            if (changes.get(i) instanceof WorkflowEvent.EventAwaited wait) {
                try {
                    delivery.awaited(wait);
                } catch (RuntimeException e) {
                    log.warn("the wait of instance {} for {}/{} could not be registered; the event is not delivered to it: {}",
                            wait.instanceId(), LogSafe.of(wait.eventName()), LogSafe.of(wait.eventKey()), LogSafe.of(e));
                }
            } else if (changes.get(i) instanceof WorkflowEvent.StepCancelled cancelled && cancelled.waitedFor() != null) {
                try {
                    delivery.cancelled(cancelled);
                } catch (RuntimeException e) {
                    // Harmless when left: an event for a pointer that no longer waits changes nothing and stays pending.
                    log.warn("the wait of instance {} for {}/{} was cancelled but could not be removed: {}", cancelled.instanceId(),
                            cancelled.waitedFor().name(), cancelled.waitedFor().key(), e.toString());
                }
            }
        }
        if (instance.isFinished() && !instance.pointers().isEmpty()) {
            try {
                delivery.finished(instance);
            } catch (RuntimeException e) {
                log.warn("the waits of finished instance {} could not be removed: {}", instance.id(), e.toString());
            }
        }
    }
}
