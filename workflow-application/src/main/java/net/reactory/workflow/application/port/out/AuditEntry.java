package net.reactory.workflow.application.port.out;

import java.time.Instant;
import java.util.Objects;

/**
 * One command as the audit log keeps it.
 *
 * @param actor      who asked (a user, a service, "system" for auto-start)
 * @param entryPoint through what: "api", "http", "amqp", "cli", "auto-start"
 * @param command    register, start, publishEvent, suspend, resume, terminate
 * @param target     what the command was about: a workflow key or an instance id
 * @param outcome    "accepted" or "refused"
 * @param detail     the instance id created, or the reason for a refusal
 */
public record AuditEntry(Instant at, String actor, String entryPoint, String command, String target,
                         String outcome, String detail) {

    public AuditEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(command, "command");
    }

    public boolean refused() {
        return "refused".equals(outcome);
    }
}
