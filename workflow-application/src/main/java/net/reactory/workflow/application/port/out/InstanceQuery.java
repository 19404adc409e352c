package net.reactory.workflow.application.port.out;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

import net.reactory.workflow.domain.definition.WorkflowId;
import net.reactory.workflow.domain.instance.WorkflowStatus;
import net.reactory.workflow.domain.definition.SemanticVersion;
import net.reactory.workflow.domain.definition.WorkflowId;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/**
 * A filter over instances; null fields match everything. Instances come in the order of (createdAt, id), oldest
 * first, or newest first with {@code newestFirst}; {@code after} continues from where a page ended, which stays
 * as fast on the millionth instance as on the first (an offset does not).
 *
 * @param createdFrom inclusive
 * @param createdTo   exclusive
 * @param version     only instances of this version of the workflow
 * @param reference   only the instance carrying this reference
 * @param text        only instances whose data contains this text, ignoring case
 * @param after       only instances after this one in the order asked for; null from the first
 */
public record InstanceQuery(WorkflowStatus status, WorkflowId workflow, Instant createdFrom, Instant createdTo,
                            int offset, int limit, SemanticVersion version, String reference, String text,
                            boolean newestFirst, Cursor after) {

    /** Where a page ended: the last instance's creation time and id. */
    public record Cursor(Instant createdAt, String id) {
        public Cursor {
            Objects.requireNonNull(createdAt, "createdAt");
            Objects.requireNonNull(id, "id");
        }

        public static Cursor of(WorkflowInstance i) {
            return new Cursor(i.createdAt(), i.id());
        }
    }

    public InstanceQuery {
        if (offset < 0) throw new IllegalArgumentException("offset must not be negative: " + offset);
        if (limit < 1) throw new IllegalArgumentException("limit must be at least 1: " + limit);
        text = text == null || text.isEmpty() ? null : text.toLowerCase(Locale.ROOT);
    }

    public InstanceQuery(WorkflowStatus status, WorkflowId workflow, Instant createdFrom, Instant createdTo, int offset, int limit) {
        this(status, workflow, createdFrom, createdTo, offset, limit, null, null, null, false, null);
    }

    public static InstanceQuery all(int limit) {
        return new InstanceQuery(null, null, null, null, 0, limit);
    }

    public static InstanceQuery byStatus(WorkflowStatus status, int limit) {
        return new InstanceQuery(status, null, null, null, 0, limit);
    }

    /** The same filter at another status (null: any). */
    public InstanceQuery withStatus(WorkflowStatus newStatus) {
        return new InstanceQuery(newStatus, workflow, createdFrom, createdTo, offset, limit, version, reference, text, newestFirst, after);
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
