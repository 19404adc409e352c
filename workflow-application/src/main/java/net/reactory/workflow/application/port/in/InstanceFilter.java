package net.reactory.workflow.application.port.in;

import java.time.Instant;

import net.reactory.workflow.domain.definition.WorkflowId;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/**
 * Which instances {@link WorkflowRunner#queryInstances(InstanceFilter)} lists; null fields match everything.
 *
 * @param createdFrom inclusive
 * @param createdTo   exclusive
 * @param offset      how many matching instances to skip, for paging
 * @param limit       at most this many are returned
 */
public record InstanceFilter(WorkflowStatus status, WorkflowId workflow, Instant createdFrom, Instant createdTo,
                             int offset, int limit) {

    public InstanceFilter {
        if (offset < 0) throw new IllegalArgumentException("offset must not be negative: " + offset);
        if (limit < 1) throw new IllegalArgumentException("limit must be at least 1: " + limit);
    }

    public static InstanceFilter all(int limit) {
        return new InstanceFilter(null, null, null, null, 0, limit);
    }
}
