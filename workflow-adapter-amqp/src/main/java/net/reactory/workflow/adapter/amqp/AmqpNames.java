package net.reactory.workflow.adapter.amqp;

import java.util.Objects;

import net.reactory.workflow.domain.instance.WorkflowEvent;

/** Every broker name the adapter uses, under one prefix. */
public record AmqpNames(String prefix) {

    /** The header naming why a command was dead-lettered, such as {@code malformed-json}. */
    public static final String REASON_HEADER = "x-workflow-dead-letter-reason";
    /** A human-readable detail of the reason. */
    public static final String DETAIL_HEADER = "x-workflow-dead-letter-detail";
    /** How often a command was tried already (retries of passing failures). */
    public static final String ATTEMPT_HEADER = "x-workflow-attempt";

    public AmqpNames {
        Objects.requireNonNull(prefix, "prefix");
    }

    /** The durable command queue, fed through the default exchange. */
    public String commands() {
        return prefix + ".commands";
    }

    /** Where bad commands land, with {@link #REASON_HEADER}. */
    public String deadLetters() {
        return prefix + ".commands.dlq";
    }

    /** The topic exchange of lifecycle events and of the original's {@code reactory.workflow.started:<src>} answers. */
    public String events() {
        return prefix + ".events";
    }

    /** The fanout exchange of wake-ups between runner nodes. */
    public String wakeup() {
        return prefix + ".wakeup";
    }

    /** One node's own, exclusive wake-up queue. */
    public String wakeupQueue(String nodeId, int subscription) {
        return prefix + ".wakeup." + nodeId + "." + subscription;
    }

    /** {@code <prefix>.<nameSpace>.<name>.<kind>}: started, step.completed, step.failed, retry.scheduled, suspended, resumed, completed, failed, terminated. */
    public String routingKey(WorkflowEvent event) {
        return routingKey(event, kind(event));
    }

    String routingKey(WorkflowEvent event, String kind) {
        return prefix + "." + event.definition().id().nameSpace() + "." + event.definition().id().name() + "." + kind;
    }

    /** The event's kind as used in routing keys and the message {@code type}: step events without their pointer id. */
    public static String kind(WorkflowEvent event) {
        // By hand, not with a regular expression: this runs for every event.
        String kind = event.kind();
        int dot = kind.lastIndexOf('.');
        if (dot < 0 || dot == kind.length() - 1) return kind;
        for (int i = dot + 1; i < kind.length(); i++) {
            if (kind.charAt(i) < '0' || kind.charAt(i) > '9') return kind;
        }
        return kind.substring(0, dot);
    }

    /** The routing key of the original runner's answer to a start with a {@code src}. */
    public static String startedAnswer(String src) {
        return "reactory.workflow.started:" + src;
    }
}
