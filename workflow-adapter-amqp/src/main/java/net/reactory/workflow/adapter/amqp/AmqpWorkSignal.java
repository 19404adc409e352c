package net.reactory.workflow.adapter.amqp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;

import net.reactory.workflow.application.port.in.LogSafe;
import net.reactory.workflow.application.port.out.WorkSignal;

/**
 * Wake-ups between runner nodes: a signal goes to the fanout exchange {@code <prefix>.wakeup}, and every
 * subscribed node hears it on its own exclusive queue {@code <prefix>.wakeup.<node>.<n>}. Signals are hints:
 * one published while the broker is away is dropped, and the nodes' pollers are the safety net.
 */
public final class AmqpWorkSignal implements WorkSignal, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AmqpWorkSignal.class);
    private static final AMQP.BasicProperties TRANSIENT = new AMQP.BasicProperties.Builder()
            .contentType("text/plain").deliveryMode(1).type("wakeup").build();

    private final AmqpConnector connector;
    private final String nodeId;
    private final AtomicInteger subscriptions = new AtomicInteger();

    public AmqpWorkSignal(AmqpConnector connector, String nodeId) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId").replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    @Override
    public void signal(String instanceId) {
        connector.publisher().publish(connector.names().wakeup(), "", TRANSIENT, instanceId.getBytes(StandardCharsets.UTF_8))
                .whenComplete((ok, error) -> {
                    if (error != null) log.debug("wake-up for {} not confirmed: {}", instanceId, error.toString());
                });
    }

    @Override
    public AutoCloseable subscribe(Consumer<String> onRunnable) {
        Objects.requireNonNull(onRunnable, "onRunnable");
        AmqpNames names = connector.names();
        String queue = names.wakeupQueue(nodeId, subscriptions.incrementAndGet());
        try {
            Channel channel = connector.newConsumeChannel();
            connector.declareExchanges(channel);
            // Exclusive: gone with the connection, redeclared and rebound by topology recovery.
            channel.queueDeclare(queue, false, true, true, Map.of());
            channel.queueBind(queue, names.wakeup(), "");
            channel.basicQos(512);
            channel.basicConsume(queue, false, "wakeup-" + nodeId, new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) throws IOException {
                    try {
                        onRunnable.accept(new String(body, StandardCharsets.UTF_8));
                    } catch (RuntimeException e) {
                        log.warn("wake-up handler failed for {}: {}", LogSafe.of(new String(body, StandardCharsets.UTF_8)), LogSafe.of(e));
                    } finally {
                        channel.basicAck(envelope.getDeliveryTag(), false);
                    }
                }
            });
            return () -> {
                if (channel.isOpen()) channel.close();
            };
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("could not subscribe to wake-ups on " + queue + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        // The subscriptions' channels close with the connector.
    }
}
