package net.reactory.workflow.application.port.in;

import java.time.Instant;
import java.util.Objects;

import net.reactory.workflow.domain.definition.WorkflowId;
import net.reactory.workflow.domain.instance.WorkflowStatus;
import net.reactory.workflow.domain.definition.SemanticVersion;
import net.reactory.workflow.domain.definition.WorkflowId;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/**
 * Which instances {@link WorkflowRunner#queryInstances(InstanceFilter)} lists; null fields match everything. They come
 * ordered by (createdAt, id), oldest first or, with {@code newestFirst}, newest first.
 *
 * @param createdFrom inclusive
 * @param createdTo   exclusive
 * @param offset      how many matching instances to skip, for paging (slow on large stores: prefer {@code after})
 * @param limit       at most this many are returned
 * @param version     only this version of the workflow
 * @param reference   only the instance carrying this reference
 * @param text        only instances whose data contains this text, ignoring case
 * @param after       only instances after this one, in the order asked for: the last of the previous page
 */
public record InstanceFilter(WorkflowStatus status, WorkflowId workflow, Instant createdFrom, Instant createdTo,
                             int offset, int limit, SemanticVersion version, String reference, String text,
                             boolean newestFirst, Cursor after) {

    /** Where a page ended: its last instance's creation time and id. */
    public record Cursor(Instant createdAt, String id) {
        public Cursor {
            Objects.requireNonNull(createdAt, "createdAt");
            Objects.requireNonNull(id, "id");
        }

        public static Cursor of(WorkflowInstance i) {
            return new Cursor(i.createdAt(), i.id());
        }
    }

    public InstanceFilter {
        if (offset < 0) throw new IllegalArgumentException("offset must not be negative: " + offset);
        if (limit < 1) throw new IllegalArgumentException("limit must be at least 1: " + limit);
    }

    public InstanceFilter(WorkflowStatus status, WorkflowId workflow, Instant createdFrom, Instant createdTo, int offset, int limit) {
        this(status, workflow, createdFrom, createdTo, offset, limit, null, null, null, false, null);
    }

    public static InstanceFilter all(int limit) {
        return new InstanceFilter(null, null, null, null, 0, limit);
    }

    /** The same filter continuing after {@code cursor}. */
    public InstanceFilter after(Cursor cursor) {
        return new InstanceFilter(status, workflow, createdFrom, createdTo, 0, limit, version, reference, text, newestFirst, cursor);
    }
}
