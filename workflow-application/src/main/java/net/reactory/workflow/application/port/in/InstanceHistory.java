package net.reactory.workflow.application.port.in;

import java.time.Instant;
import java.util.List;

import net.reactory.workflow.domain.instance.StepError;

/**
 * A page of an instance's history as the store keeps it, oldest first ({@link WorkflowRunner#history}).
 *
 * @param next                 the revision to read after for the following page; null when this page reaches the newest event
 * @param droppedCount         how many of the oldest events the store no longer keeps (beyond its cap per instance)
 * @param droppedFirstRevision the revision of the oldest dropped event; 0 when none was dropped
 * @param droppedLastRevision  the revision of the newest dropped event (at most that of the oldest event kept); 0 when none
 */
public record InstanceHistory(List<Event> events, Long next, long droppedCount, long droppedFirstRevision, long droppedLastRevision) {

    public InstanceHistory {
        events = List.copyOf(events);
    }

    /**
     * One change event.
     *
     * @param type       such as {@code StepCompleted}
     * @param kind       such as {@code step.completed.3}
     * @param step       the step it is about, or null
     * @param pointer    the execution pointer it is about, or null
     * @param error      the failure it reports, or null
     * @param actor      who asked for the command behind it; null for the runner's own doing
     * @param entryPoint through what the command came, or null
     * @param detail     a reason, the event waited for...; or null
     */
    public record Event(long revision, Instant at, String type, String kind, String step, Integer pointer, StepError error,
                        String actor, String entryPoint, String detail) {
    }
}
