package net.reactory.workflow.application.service.command;

import java.time.InstantSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import net.reactory.workflow.application.port.in.LogSafe;
import net.reactory.workflow.application.port.in.CommandOrigin;
import net.reactory.workflow.application.port.out.AuditEntry;
import net.reactory.workflow.application.port.out.AuditLog;

/** Every command's line in the audit log, accepted or refused; an audit log that fails is logged and never fails the command. */
public final class Audit {

    private static final Logger log = LoggerFactory.getLogger(Audit.class);

    private final AuditLog auditLog;
    private final InstantSource clock;

    public Audit(AuditLog auditLog, InstantSource clock) {
        this.auditLog = auditLog;
        this.clock = clock;
    }

    public void accepted(CommandOrigin origin, String command, String target, String detail) {
        record(origin, command, target, "accepted", detail);
    }

    public void refused(CommandOrigin origin, String command, String target, String reason) {
        record(origin, command, target, "refused", reason);
    }

    private void record(CommandOrigin origin, String command, String target, String outcome, String detail) {
        try {
            auditLog.record(new AuditEntry(clock.instant(), origin.actor(), origin.entryPoint(), command, target, outcome, detail));
        } catch (RuntimeException e) {
            log.warn("audit log failed to record {} of {}: {}", command, LogSafe.of(target), LogSafe.of(e));
        }
    }
}
