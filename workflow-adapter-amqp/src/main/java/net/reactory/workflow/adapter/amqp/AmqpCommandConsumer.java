package net.reactory.workflow.adapter.amqp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;

import net.reactory.workflow.application.port.in.CommandOrigin;
import net.reactory.workflow.application.port.in.InstanceNotFoundException;
import net.reactory.workflow.application.port.in.StartRequest;
import net.reactory.workflow.application.port.in.WorkflowNotFoundException;
import net.reactory.workflow.application.port.in.WorkflowRunner;
import net.reactory.workflow.domain.instance.InstanceFinishedException;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/**
 * Consumes {@code <prefix>.commands} and drives the runner. A delivery is acknowledged only after its effect is
 * stored and its answers are confirmed by the broker; bad input is dead-lettered to {@code <prefix>.commands.dlq}
 * with the reason in the {@link AmqpNames#REASON_HEADER} header; a passing failure (store away, …) is retried a
 * bounded number of times, then dead-lettered too. Commands on the same instance run in delivery order; starts
 * run in parallel, up to the prefetch.
 */
public final class AmqpCommandConsumer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AmqpCommandConsumer.class);
    private static final long EFFECT_TIMEOUT_SECONDS = 30;

    private final AmqpConnector connector;
    private final WorkflowRunner runner;
    private final ObjectMapper json = new ObjectMapper();
    private final CommandParser parser;
    private final ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("workflow-amqp-command-", 0).factory());
    private final Map<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object idle = new Object();
    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final Map<String, LongAdder> deadLettered = new ConcurrentHashMap<>();
    private volatile Channel channel;
    private volatile String consumerTag;

    public AmqpCommandConsumer(AmqpConnector connector, WorkflowRunner runner) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.runner = Objects.requireNonNull(runner, "runner");
        this.parser = new CommandParser(json, connector.config().maxBodyBytes());
    }

    /** Declares the command queues and starts consuming. */
    public synchronized AmqpCommandConsumer start() throws IOException {
        if (channel != null) return this;
        Channel ch = connector.newConsumeChannel();
        connector.declareExchanges(ch);
        connector.declareCommandQueues(ch);
        ch.basicQos(connector.config().prefetch());
        channel = ch;
        consumerTag = ch.basicConsume(connector.names().commands(), false, new DefaultConsumer(ch) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                dispatch(new Delivery(envelope.getDeliveryTag(), envelope.isRedeliver(), properties, body));
            }

            @Override
            public void handleCancel(String tag) {
                log.warn("the broker cancelled the command consumer on {} (was the queue deleted?)", connector.names().commands());
            }
        });
        log.info("consuming commands from {} (prefetch {})", connector.names().commands(), connector.config().prefetch());
        return this;
    }

    record Delivery(long tag, boolean redelivered, AMQP.BasicProperties props, byte[] body) {
    }

    private void dispatch(Delivery delivery) {
        inFlight.incrementAndGet();
        Command command;
        try {
            command = parser.parse(delivery.props(), delivery.body());
        } catch (BadCommandException e) {
            submit(null, () -> deadLetter(delivery, null, e));
            return;
        }
        String key = switch (command) {
            case Command.Suspend c -> c.instanceId();
            case Command.Resume c -> c.instanceId();
            case Command.Terminate c -> c.instanceId();
            default -> null;
        };
        submit(key, () -> handle(delivery, command));
    }

    /** Runs the task on a virtual thread; tasks with the same key run one after the other, in submission order. */
    private void submit(String key, Runnable task) {
        Runnable tracked = () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("command handling failed unexpectedly: {}", e.toString(), e);
            } finally {
                if (inFlight.decrementAndGet() == 0) {
                    synchronized (idle) {
                        idle.notifyAll();
                    }
                }
            }
        };
        if (key == null) {
            executor.execute(tracked);
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<Void> before = tails.put(key, done);
        Runnable chained = () -> {
            try {
                tracked.run();
            } finally {
                tails.remove(key, done);
                done.complete(null);
            }
        };
        if (before == null) executor.execute(chained);
        else before.whenComplete((ok, error) -> executor.execute(chained));
    }

    private void handle(Delivery delivery, Command command) {
        try {
            List<CompletableFuture<Void>> confirms = switch (command) {
                case Command.Start start -> start(delivery, start);
                case Command.PublishEvent event -> publishEvent(delivery, event);
                case Command.Suspend c -> lifecycle(delivery, c, runner.suspend(c.instanceId(), c.reason(), origin(delivery.props())));
                case Command.Resume c -> lifecycle(delivery, c, runner.resume(c.instanceId(), origin(delivery.props())));
                case Command.Terminate c -> lifecycle(delivery, c, runner.terminate(c.instanceId(), c.reason(), origin(delivery.props())));
            };
            CompletableFuture.allOf(confirms.toArray(CompletableFuture[]::new)).get(EFFECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            ack(delivery);
            processed.incrementAndGet();
        } catch (BadCommandException e) {
            deadLetter(delivery, command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            nack(delivery);
        } catch (Exception | Error e) { // NOPMD: whatever the runner throws, the delivery is settled, never left unacknowledged
            BadCommandException permanent = permanent(e);
            if (permanent != null) deadLetter(delivery, command, permanent);
            else retry(delivery, command, unwrap(e));
        }
    }

    private List<CompletableFuture<Void>> start(Delivery delivery, Command.Start c) throws Exception {
        AMQP.BasicProperties p = delivery.props();
        String reference = c.reference() != null ? c.reference() : p.getMessageId();
        String caller = c.caller() != null ? c.caller() : caller(p);
        String instanceId = runner.startWorkflow(new StartRequest(c.id(), c.version(), c.data(), reference, caller, "amqp"))
                .get(EFFECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<CompletableFuture<Void>> confirms = new ArrayList<>(2);
        if (c.src() != null) {
            ObjectNode answer = json.createObjectNode();
            answer.put("schemaVersion", CommandParser.SCHEMA_VERSION);
            answer.put("instanceId", instanceId);
            answer.put("id", c.id());
            answer.put("version", c.version());
            answer.put("src", c.src());
            answer.put("reference", reference);
            AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                    .contentType("application/json").deliveryMode(2).type("reactory.workflow.started")
                    .messageId("started:" + instanceId).correlationId(p.getCorrelationId())
                    .timestamp(new java.util.Date()).appId("workflow-runner").build();
            confirms.add(connector.publisher().publish(connector.names().events(), AmqpNames.startedAnswer(c.src()), props, bytes(answer)));
        }
        ObjectNode reply = ok(c);
        reply.put("instanceId", instanceId);
        reply(p, reply, confirms);
        return confirms;
    }

    /** The event id is the body's {@code eventId}, else the message id: publishing one id twice resumes once. */
    private List<CompletableFuture<Void>> publishEvent(Delivery delivery, Command.PublishEvent c) throws Exception {
        String eventId = c.eventId() != null ? c.eventId() : delivery.props().getMessageId();
        CompletableFuture<String> stored = runner.publishEvent(eventId, c.name(), c.key(), c.data(), c.effectiveAt(), origin(delivery.props()));
        String id = stored.get(EFFECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<CompletableFuture<Void>> confirms = new ArrayList<>(1);
        ObjectNode reply = ok(c);
        reply.put("eventId", id);
        reply(delivery.props(), reply, confirms);
        return confirms;
    }

    private List<CompletableFuture<Void>> lifecycle(Delivery delivery, Command c, CompletableFuture<WorkflowInstance> effect) throws Exception {
        WorkflowInstance instance = effect.get(EFFECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<CompletableFuture<Void>> confirms = new ArrayList<>(1);
        ObjectNode reply = ok(c);
        reply.put("instanceId", instance.id());
        reply.put("status", instance.status().name());
        reply(delivery.props(), reply, confirms);
        return confirms;
    }

    /** Who sent a command, for the audit: the message's app id, else its user id, else "amqp". */
    private static String caller(AMQP.BasicProperties p) {
        return p.getAppId() != null ? p.getAppId() : p.getUserId() != null ? p.getUserId() : "amqp";
    }

    private static CommandOrigin origin(AMQP.BasicProperties p) {
        return new CommandOrigin(caller(p), "amqp");
    }

    private ObjectNode ok(Command c) {
        ObjectNode reply = json.createObjectNode();
        reply.put("schemaVersion", CommandParser.SCHEMA_VERSION);
        reply.put("ok", true);
        reply.put("command", c.type());
        return reply;
    }

    private void reply(AMQP.BasicProperties request, ObjectNode body, List<CompletableFuture<Void>> confirms) {
        if (request.getReplyTo() == null || request.getReplyTo().isBlank()) return;
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                .contentType("application/json").correlationId(request.getCorrelationId())
                .type(body.path("command").asText("command") + ".reply").appId("workflow-runner").build();
        confirms.add(connector.publisher().publish("", request.getReplyTo(), props, bytes(body)));
    }

    /** Maps what the runner threw to a permanent refusal, or null for a passing failure worth retrying. */
    private static BadCommandException permanent(Throwable e) {
        Throwable t = unwrap(e);
        return switch (t) {
            case BadCommandException b -> b;
            case WorkflowNotFoundException w -> new BadCommandException(BadCommandException.UNKNOWN_WORKFLOW, w.getMessage());
            case InstanceNotFoundException i -> new BadCommandException(BadCommandException.UNKNOWN_INSTANCE, i.getMessage());
            case InstanceFinishedException f -> new BadCommandException(BadCommandException.INSTANCE_FINISHED, f.getMessage());
            case IllegalArgumentException a -> new BadCommandException(BadCommandException.INVALID_INPUT, a.getMessage());
            case IllegalStateException s when !(s instanceof net.reactory.workflow.application.port.in.RunnerNotInitializedException)
                    && s.getClass() == IllegalStateException.class -> new BadCommandException(BadCommandException.INVALID_STATE, s.getMessage());
            default -> null;
        };
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof java.util.concurrent.CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private void deadLetter(Delivery delivery, Command command, BadCommandException reason) {
        AMQP.BasicProperties p = delivery.props();
        Map<String, Object> headers = new HashMap<>(p.getHeaders() == null ? Map.of() : p.getHeaders());
        headers.put(AmqpNames.REASON_HEADER, reason.reason());
        headers.put(AmqpNames.DETAIL_HEADER, truncate(reason.getMessage(), 1000));
        headers.put("x-workflow-original-queue", connector.names().commands());
        headers.put("x-workflow-dead-lettered-at", Instant.now().toString());
        AMQP.BasicProperties props = p.builder().headers(headers).deliveryMode(2).build();
        List<CompletableFuture<Void>> confirms = new ArrayList<>(2);
        confirms.add(connector.publisher().publish("", connector.names().deadLetters(), props, delivery.body()));
        ObjectNode error = json.createObjectNode();
        error.put("schemaVersion", CommandParser.SCHEMA_VERSION);
        error.put("ok", false);
        error.put("command", command == null ? p.getType() : command.type());
        ObjectNode detail = error.putObject("error");
        detail.put("type", reason.reason());
        detail.put("message", reason.getMessage());
        reply(p, error, confirms);
        log.info("dead-lettered command (type {}, message id {}): {}: {}", p.getType(), p.getMessageId(), reason.reason(), reason.getMessage());
        try {
            confirms.get(0).get(EFFECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            ack(delivery);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (ExecutionException | TimeoutException e) {
            // The broker's own dead-lettering keeps the message, without our reason header.
            log.warn("could not publish to {} ({}): rejecting the command to the broker's dead-letter route instead",
                    connector.names().deadLetters(), unwrap(e).toString());
            reject(delivery);
        }
        deadLettered.computeIfAbsent(reason.reason(), r -> new LongAdder()).increment();
    }

    private void retry(Delivery delivery, Command command, Throwable cause) {
        AMQP.BasicProperties p = delivery.props();
        int attempt = attempt(p);
        if (attempt >= connector.config().maxAttempts()) {
            deadLetter(delivery, command, new BadCommandException(BadCommandException.RETRIES_EXHAUSTED,
                    "failed " + attempt + " times, last: " + cause));
            return;
        }
        log.warn("command {} (message id {}) failed on attempt {}: {}; retrying", p.getType(), p.getMessageId(), attempt, cause.toString());
        try {
            Thread.sleep(Math.min(5000, connector.config().retryBackoff().toMillis() << Math.min(attempt - 1, 10)));
            Map<String, Object> headers = new HashMap<>(p.getHeaders() == null ? Map.of() : p.getHeaders());
            headers.put(AmqpNames.ATTEMPT_HEADER, attempt + 1);
            connector.publisher().publish("", connector.names().commands(), p.builder().headers(headers).build(), delivery.body())
                    .get(EFFECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            ack(delivery);
            retried.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            nack(delivery);
        } catch (ExecutionException | TimeoutException e) {
            nack(delivery);
        }
    }

    private static int attempt(AMQP.BasicProperties p) {
        Object value = p.getHeaders() == null ? null : p.getHeaders().get(AmqpNames.ATTEMPT_HEADER);
        return value instanceof Number n ? Math.max(1, n.intValue()) : 1;
    }

    private void ack(Delivery delivery) {
        try {
            channel.basicAck(delivery.tag(), false);
        } catch (IOException | RuntimeException e) {
            // The channel went down: the broker redelivers the command, and a start is idempotent by its message id.
            log.debug("ack of delivery {} failed: {}", delivery.tag(), e.toString());
        }
    }

    private void nack(Delivery delivery) {
        try {
            channel.basicNack(delivery.tag(), false, true);
        } catch (IOException | RuntimeException e) {
            log.debug("nack of delivery {} failed: {}", delivery.tag(), e.toString());
        }
    }

    private void reject(Delivery delivery) {
        try {
            channel.basicReject(delivery.tag(), false);
        } catch (IOException | RuntimeException e) {
            log.debug("reject of delivery {} failed: {}", delivery.tag(), e.toString());
        }
    }

    private byte[] bytes(ObjectNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (Exception e) {
            return node.toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    private static String truncate(String text, int max) {
        if (text == null) return "";
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }

    /** Commands acknowledged after their effect. */
    public long processed() {
        return processed.get();
    }

    /** Commands republished for another attempt. */
    public long retried() {
        return retried.get();
    }

    /** Dead-lettered commands per reason. */
    public Map<String, Long> deadLettered() {
        Map<String, Long> out = new HashMap<>();
        deadLettered.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** Stops taking commands, lets those in hand finish (up to ten seconds), then closes the channel; unacknowledged ones go back to the queue. */
    @Override
    public void close() {
        Channel ch = channel;
        if (ch == null) return;
        try {
            if (consumerTag != null && ch.isOpen()) ch.basicCancel(consumerTag);
        } catch (IOException | RuntimeException e) {
            log.debug("cancelling the command consumer failed: {}", e.toString());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        synchronized (idle) {
            while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                try {
                    idle.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        executor.shutdownNow();
        try {
            if (ch.isOpen()) ch.close();
        } catch (Exception e) {
            log.debug("closing the command channel failed: {}", e.toString());
        }
        log.info("stopped consuming commands from {}", connector.names().commands());
    }

}
