package net.reactory.workflow.adapter.amqp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;

import net.reactory.workflow.application.port.in.CommandOrigin;
import net.reactory.workflow.application.port.in.StartRequest;
import net.reactory.workflow.application.port.in.WorkflowRunner;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/**
 * Carries out one command on the runner and answers it: returns once the effect is stored and its answers are
 * confirmed by the broker, so that the delivery can be acknowledged. Whatever the runner throws is thrown on.
 */
final class CommandHandler {

    /** The longest wait for the runner's effect, and then for the broker's confirms of the answers. */
    static final long EFFECT_TIMEOUT_SECONDS = 30;

    private final WorkflowRunner runner;
    private final CommandReplies replies;

    CommandHandler(WorkflowRunner runner, CommandReplies replies) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.replies = Objects.requireNonNull(replies, "replies");
    }

    void handle(Delivery delivery, Command command) throws Exception {
        AMQP.BasicProperties p = delivery.props();
        List<CompletableFuture<Void>> confirms = switch (command) {
            case Command.Start start -> start(p, start);
            case Command.PublishEvent event -> publishEvent(p, event);
            case Command.Suspend c -> lifecycle(p, c, runner.suspend(c.instanceId(), c.reason(), origin(p)));
            case Command.Resume c -> lifecycle(p, c, runner.resume(c.instanceId(), origin(p)));
            case Command.Terminate c -> lifecycle(p, c, runner.terminate(c.instanceId(), c.reason(), origin(p)));
        };
        CompletableFuture.allOf(confirms.toArray(CompletableFuture[]::new)).get(EFFECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** The reference defaults to the message id: a start redelivered by the broker finds its instance. */
    private List<CompletableFuture<Void>> start(AMQP.BasicProperties p, Command.Start c) throws Exception {
        String reference = c.reference() != null ? c.reference() : p.getMessageId();
        String caller = c.caller() != null ? c.caller() : caller(p);
        String instanceId = runner.startWorkflow(new StartRequest(c.id(), c.version(), c.data(), reference, caller, "amqp",
                        MessageTrace.of(p)))
                .get(EFFECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<CompletableFuture<Void>> confirms = new ArrayList<>(2);
        if (c.src() != null) replies.announceStarted(p, c, instanceId, reference, confirms);
        ObjectNode reply = replies.ok(c);
        reply.put("instanceId", instanceId);
        replies.reply(p, reply, confirms);
        return confirms;
    }

    /** The event id is the body's {@code eventId}, else the message id: publishing one id twice resumes once. */
    private List<CompletableFuture<Void>> publishEvent(AMQP.BasicProperties p, Command.PublishEvent c) throws Exception {
        String eventId = c.eventId() != null ? c.eventId() : p.getMessageId();
        String id = runner.publishEvent(eventId, c.name(), c.key(), c.data(), c.effectiveAt(), origin(p), MessageTrace.of(p))
                .get(EFFECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<CompletableFuture<Void>> confirms = new ArrayList<>(1);
        ObjectNode reply = replies.ok(c);
        reply.put("eventId", id);
        replies.reply(p, reply, confirms);
        return confirms;
    }

    private List<CompletableFuture<Void>> lifecycle(AMQP.BasicProperties p, Command c, CompletableFuture<WorkflowInstance> effect) throws Exception {
        WorkflowInstance instance = effect.get(EFFECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<CompletableFuture<Void>> confirms = new ArrayList<>(1);
        ObjectNode reply = replies.ok(c);
        reply.put("instanceId", instance.id());
        reply.put("status", instance.status().name());
        replies.reply(p, reply, confirms);
        return confirms;
    }

    /** Who sent a command, for the audit: the message's app id, else its user id, else "amqp". */
    private static String caller(AMQP.BasicProperties p) {
        return p.getAppId() != null ? p.getAppId() : p.getUserId() != null ? p.getUserId() : "amqp";
    }

    private static CommandOrigin origin(AMQP.BasicProperties p) {
        return new CommandOrigin(caller(p), "amqp");
    }
}
