package net.reactory.workflow.application.port.in;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

import net.reactory.workflow.domain.definition.SemanticVersion;
import net.reactory.workflow.domain.definition.WorkflowId;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/**
 * Which instances {@link WorkflowRunner#queryInstances(InstanceFilter)} lists, and what the stores are asked for
 * (the driven port takes this record too: one filter from the edge to the store); null fields match everything.
 * They come ordered by (createdAt, id), oldest first or, with {@code newestFirst}, newest first; {@code after}
 * continues from where a page ended, which stays as fast on the millionth instance as on the first (an offset does not).
 *
 * @param createdFrom inclusive
 * @param createdTo   exclusive
 * @param offset      how many matching instances to skip, for paging (slow on large stores: prefer {@code after})
 * @param limit       at most this many are returned
 * @param version     only this version of the workflow
 * @param reference   only the instance carrying this reference
 * @param text        only instances whose data contains this text, ignoring case (kept in lower case)
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
        text = text == null || text.isEmpty() ? null : text.toLowerCase(Locale.ROOT);
    }

    public InstanceFilter(WorkflowStatus status, WorkflowId workflow, Instant createdFrom, Instant createdTo, int offset, int limit) {
        this(status, workflow, createdFrom, createdTo, offset, limit, null, null, null, false, null);
    }

    public static InstanceFilter all(int limit) {
        return new InstanceFilter(null, null, null, null, 0, limit);
    }

    public static InstanceFilter byStatus(WorkflowStatus status, int limit) {
        return new InstanceFilter(status, null, null, null, 0, limit);
    }

    /** The same filter continuing after {@code cursor}. */
    public InstanceFilter after(Cursor cursor) {
        return new InstanceFilter(status, workflow, createdFrom, createdTo, 0, limit, version, reference, text, newestFirst, cursor);
    }

    /** The same filter at another status (null: any). */
    public InstanceFilter withStatus(WorkflowStatus newStatus) {
        return new InstanceFilter(newStatus, workflow, createdFrom, createdTo, offset, limit, version, reference, text, newestFirst, after);
    }

    /** Whether the instance passes every filter but the cursor and the paging; stores that index some filters check the rest here. */
    public boolean matches(WorkflowInstance i) {
        return (status == null || i.status() == status)
                && (workflow == null || i.definition().id().equals(workflow))
                && (version == null || i.definition().version().equals(version))
                && (reference == null || reference.equals(i.reference()))
                && (createdFrom == null || !i.createdAt().isBefore(createdFrom))
                && (createdTo == null || i.createdAt().isBefore(createdTo))
                && (text == null || dataContains(i.data(), text));
    }

    /** The free-text filter: the data's text form contains {@code lowerCaseText}, ignoring case. */
    public static boolean dataContains(Object data, String lowerCaseText) {
        return data != null && String.valueOf(data).toLowerCase(Locale.ROOT).contains(lowerCaseText);
    }
}
