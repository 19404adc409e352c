package net.reactory.workflow.application.port.in;

/**
 * Who asked for a command and through what, for the audit log.
 *
 * @param actor      a user, a service, "system"; "anonymous" when unknown
 * @param entryPoint "api", "http", "amqp", "cli", "auto-start"
 */
public record CommandOrigin(String actor, String entryPoint) {

    /** A call through the Java API by an unnamed caller. */
    public static final CommandOrigin API = new CommandOrigin("anonymous", "api");

    public CommandOrigin {
        actor = actor == null || actor.isBlank() ? "anonymous" : actor;
        entryPoint = entryPoint == null || entryPoint.isBlank() ? "api" : entryPoint;
    }
}
