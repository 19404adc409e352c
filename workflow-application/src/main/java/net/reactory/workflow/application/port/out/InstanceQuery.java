package net.reactory.workflow.application.port.out;

import java.time.Instant;

import net.reactory.workflow.domain.definition.WorkflowId;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/**
 * A filter over instances; null fields match everything.
 *
 * @param createdFrom inclusive
 * @param createdTo   exclusive
 */
public record InstanceQuery(WorkflowStatus status, WorkflowId workflow, Instant createdFrom, Instant createdTo,
                            int offset, int limit) {

    public InstanceQuery {
        if (offset < 0) throw new IllegalArgumentException("offset must not be negative: " + offset);
        if (limit < 1) throw new IllegalArgumentException("limit must be at least 1: " + limit);
    }

    public static InstanceQuery all(int limit) {
        return new InstanceQuery(null, null, null, null, 0, limit);
    }

    public static InstanceQuery byStatus(WorkflowStatus status, int limit) {
        return new InstanceQuery(status, null, null, null, 0, limit);
    }
}
