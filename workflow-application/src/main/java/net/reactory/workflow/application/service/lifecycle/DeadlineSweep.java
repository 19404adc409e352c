package net.reactory.workflow.application.service.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import net.reactory.workflow.application.port.in.InstanceFilter;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.service.definition.DefinitionOptions;
import net.reactory.workflow.application.service.run.TransitionEffects;
import net.reactory.workflow.domain.execution.WorkflowTransitions;
import net.reactory.workflow.domain.execution.Transition;
import net.reactory.workflow.domain.definition.WorkflowDefinition;
import net.reactory.workflow.domain.definition.WorkflowId;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/**
 * Ends instances past their workflow deadline ({@code props.deadline}, counted from creation) as their
 * definition says ({@code props.onDeadline}). It runs with the poller and asks the store for old runnable
 * instances of the workflows that have a deadline, so it reaches instances that sleep or wait for an event
 * as well as those running elsewhere: the write is conditional on the revision read, like a lifecycle
 * command, and a node still running the instance loses its next save and lets go. Workflows without a
 * deadline cost nothing.
 */
final class DeadlineSweep {

    private static final Logger log = LoggerFactory.getLogger(DeadlineSweep.class);

    private final InstanceStore store;
    private final int batch;

    DeadlineSweep(InstanceStore store, int batch) {
        this.store = store;
        this.batch = batch;
    }

    /**
     * @param definitions the registered definitions
     * @param effects     told of each transition before and after it is stored, to publish its events and wake its waiters
     * @return how many instances were ended
     */
    int sweep(List<WorkflowDefinition> definitions, Instant now, TransitionEffects effects) {
        Map<WorkflowId, Duration> shortest = new HashMap<>();
        Map<net.reactory.workflow.domain.definition.DefinitionKey, WorkflowDefinition> withDeadline = new HashMap<>();
        for (WorkflowDefinition d : definitions) {
            Duration deadline = DefinitionOptions.of(d).deadline();
            if (deadline == null) continue;
            withDeadline.put(d.key(), d);
            shortest.merge(d.key().id(), deadline, (a, b) -> a.compareTo(b) <= 0 ? a : b);
        }
        int ended = 0;
        for (Map.Entry<WorkflowId, Duration> e : shortest.entrySet()) {
            Instant createdBefore = now.minus(e.getValue()).plusNanos(1);
            List<WorkflowInstance> old = store.query(new InstanceFilter(WorkflowStatus.RUNNABLE, e.getKey(), null, createdBefore, 0, batch));
            for (WorkflowInstance instance : old) {
                WorkflowDefinition definition = withDeadline.get(instance.definition());
                if (definition == null) continue;
                // The decision is the domain's: unchanged unless RUNNABLE and past the deadline; the lease is let go.
                Transition t = WorkflowTransitions.expireIfPastDeadline(instance, definition, now);
                if (t.changes().isEmpty()) continue;
                effects.beforeSave(t.instance(), t.changes());
                if (store.save(t.instance(), instance.revision(), t.changes())) {
                    ended++;
                    log.info("instance {} ({}) passed its deadline of {}: {}", instance.id(), instance.definition(),
                            definition.options().deadline(), t.instance().status());
                    effects.afterCommit(t.instance(), t.changes());
                }
            }
        }
        return ended;
    }
}
