package net.reactory.workflow.application.port.out;

import java.util.List;

/** Keeps a record of every command, accepted or refused. */
public interface AuditLog {

    void record(AuditEntry entry);

    /** The newest entries first, at most {@code limit}. */
    List<AuditEntry> recent(int limit);
}
