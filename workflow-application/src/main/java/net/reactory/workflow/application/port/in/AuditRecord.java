package net.reactory.workflow.application.port.in;

import java.time.Instant;

/**
 * One command as the runner's audit log kept it, as the edges show it.
 *
 * @param actor      who asked (a user, a service, "system" for auto-start)
 * @param entryPoint through what: "api", "http", "amqp", "cli", "auto-start"
 * @param command    register, start, publishEvent, suspend, resume, terminate
 * @param target     what the command was about: a workflow key or an instance id
 * @param outcome    "accepted" or "refused"
 * @param detail     the instance id created, or the reason for a refusal
 */
public record AuditRecord(Instant at, String actor, String entryPoint, String command, String target, String outcome,
                          String detail) {
}
