package net.reactory.workflow.adapter.amqp;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;

/** A service on the other side of the broker: sends commands with confirms and collects what the runner publishes. */
final class TestClient implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    record Message(AMQP.BasicProperties props, byte[] body) {
        static Message command(String type, String json, String messageId) {
            return new Message(new AMQP.BasicProperties.Builder().type(type).contentType("application/json").deliveryMode(2)
                    .messageId(messageId).build(), json.getBytes(StandardCharsets.UTF_8));
        }
    }

    record Received(String routingKey, AMQP.BasicProperties props, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        Object header(String name) {
            Object value = props.getHeaders() == null ? null : props.getHeaders().get(name);
            return value == null ? null : value.toString();
        }
    }

    private final AmqpNames names;
    private final Connection connection;
    private final Channel publishing;
    private final List<String> queues = new ArrayList<>();

    TestClient(String prefix) throws Exception {
        this.names = new AmqpNames(prefix);
        this.connection = RabbitBroker.factory().newConnection("workflow-test-client " + prefix);
        this.publishing = connection.createChannel();
        publishing.confirmSelect();
    }

    /** Publishes to the command queue through the default exchange, waiting for the confirms; republishes a batch that fails. */
    void sendAll(List<Message> messages) {
        for (int from = 0; from < messages.size(); from += 2000) {
            List<Message> batch = messages.subList(from, Math.min(messages.size(), from + 2000));
            await("batch confirmed").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
                for (Message m : batch) {
                    publishing.basicPublish("", names.commands(), m.props(), m.body());
                }
                publishing.waitForConfirmsOrDie(10_000);
                return true;
            });
        }
    }

    void send(Message message) {
        sendAll(List.of(message));
    }

    void send(String type, String json, String messageId) {
        send(Message.command(type, json, messageId));
    }

    /** A durable queue bound to the events exchange, collecting with manual acks, so nothing is lost across broker trouble. */
    Queue<Received> collect(String name, String... bindingKeys) throws IOException {
        String queue = names.prefix() + ".test." + name;
        Channel ch = connection.createChannel();
        ch.exchangeDeclare(names.events(), "topic", true);
        ch.queueDeclare(queue, true, false, false, null);
        for (String key : bindingKeys) ch.queueBind(queue, names.events(), key);
        queues.add(queue);
        return consume(ch, queue);
    }

    /** Consumes an existing queue, such as the dead-letter queue. */
    Queue<Received> consume(String queue) throws IOException {
        return consume(connection.createChannel(), queue);
    }

    /** A reply queue of this client. */
    String replyQueue(String name) throws IOException {
        String queue = names.prefix() + ".test.reply." + name;
        try (Channel ch = connection.createChannel()) {
            ch.queueDeclare(queue, true, false, false, null);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException(e);
        }
        queues.add(queue);
        return queue;
    }

    private Queue<Received> consume(Channel ch, String queue) throws IOException {
        Queue<Received> received = new ConcurrentLinkedQueue<>();
        ch.basicQos(1000);
        ch.basicConsume(queue, false, new DefaultConsumer(ch) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) throws IOException {
                received.add(new Received(envelope.getRoutingKey(), properties, body));
                ch.basicAck(envelope.getDeliveryTag(), false);
            }
        });
        return received;
    }

    String[] queues() {
        return queues.toArray(String[]::new);
    }

    static String json(Map<String, ?> body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        AmqpConnector.closeQuietly(connection);
    }
}
