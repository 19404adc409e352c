package net.reactory.workflow.bootstrap.mongo;

import java.util.List;

import net.reactory.workflow.application.port.out.AuditEntry;
import net.reactory.workflow.application.port.out.AuditLog;

/** The audit log of a {@link MemoryFallback}: memory, then MongoDB once the move is done. */
final class FallbackAuditLog implements AuditLog {

    private final MemoryFallback fallback;

    FallbackAuditLog(MemoryFallback fallback) {
        this.fallback = fallback;
    }

    @Override
    public void record(AuditEntry entry) {
        fallback.onAudit(s -> {
            s.record(entry);
            return null;
        });
    }

    @Override
    public List<AuditEntry> recent(int limit) {
        return fallback.onAudit(s -> s.recent(limit));
    }
}
