package net.reactory.workflow.adapter.amqp;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

import javax.net.ssl.SSLContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;

/**
 * The adapter's two connections to RabbitMQ — one to publish, one to consume, so broker flow control
 * on publishers never holds back acknowledgements — both with automatic connection and topology
 * recovery. Declares the topology idempotently.
 */
public final class AmqpConnector implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AmqpConnector.class);

    private final AmqpConfig config;
    private final Connection publishing;
    private final Connection consuming;
    private final Channel publishChannel;
    private final ConfirmingPublisher publisher;

    private AmqpConnector(AmqpConfig config, Connection publishing, Connection consuming) throws IOException {
        this.config = config;
        this.publishing = publishing;
        this.consuming = consuming;
        this.publishChannel = publishing.createChannel();
        // Exchanges are declared on the channels that live as long as the connector, so topology recovery redeclares them.
        declareExchanges(publishChannel);
        this.publisher = new ConfirmingPublisher(publishChannel, config.confirmTimeout());
    }

    /**
     * Connects, retrying for up to {@link AmqpConfig#connectTimeout()} while the broker does not answer.
     *
     * @throws IOException when no connection could be made in that time, or at once when the broker refused the
     *                     credentials (its cause is then the client's {@link AuthenticationFailureException})
     */
    public static AmqpConnector connect(AmqpConfig config) throws IOException {
        ConnectionFactory factory = factory(config);
        // A deadline, so monotonic time: a wall-clock jump must not cut the retrying short or stretch it.
        long deadline = System.nanoTime() + config.connectTimeout().toNanos();
        Exception last;
        int attempt = 0;
        do {
            attempt++;
            Connection publishing = null;
            try {
                publishing = factory.newConnection(config.connectionName() + " publish");
                Connection consuming = factory.newConnection(config.connectionName() + " consume");
                AmqpConnector connector = new AmqpConnector(config, publishing, consuming);
                connector.onRecovery(() -> log.info("connection to RabbitMQ at {} recovered, topology redeclared", config.redactedUri()));
                log.info("connected to RabbitMQ at {} (prefix '{}')", config.redactedUri(), config.prefix());
                return connector;
            } catch (IOException | TimeoutException | RuntimeException e) {
                last = e;
                closeQuietly(publishing);
                if (e instanceof AuthenticationFailureException) {
                    // The broker answered and refused the user or the password: asking again will not change its mind.
                    throw new IOException("RabbitMQ at " + config.redactedUri() + " refused the credentials: " + e.getMessage(), e);
                }
                if (attempt == 1) {
                    log.warn("RabbitMQ at {} does not answer ({}); retrying for {}", config.redactedUri(), e.toString(), config.connectTimeout());
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.min(1000, 100L * attempt)));
            }
        } while (System.nanoTime() < deadline);
        throw new IOException("could not connect to RabbitMQ at " + config.redactedUri() + " within " + config.connectTimeout() + ": " + last, last);
    }

    static ConnectionFactory factory(AmqpConfig config) {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(config.uri().trim());
            if (config.uri().trim().regionMatches(true, 0, "amqps", 0, 5)) {
                // Verify the server's certificate and host name with the JVM's trust store, not the client's trust-all default.
                factory.useSslProtocol(SSLContext.getDefault());
                factory.enableHostnameVerification();
            }
        } catch (Exception e) {
            throw new IllegalArgumentException("invalid AMQP URI " + AmqpConfig.redact(config.uri()) + ": " + e.getMessage());
        }
        factory.setAutomaticRecoveryEnabled(true);
        factory.setTopologyRecoveryEnabled(true);
        factory.setNetworkRecoveryInterval(1000);
        factory.setRequestedHeartbeat(10);
        factory.setConnectionTimeout(5000);
        factory.setShutdownTimeout(2000);
        return factory;
    }

    void declareExchanges(Channel channel) throws IOException {
        AmqpNames names = config.names();
        channel.exchangeDeclare(names.events(), BuiltinExchangeType.TOPIC, true);
        channel.exchangeDeclare(names.wakeup(), BuiltinExchangeType.FANOUT, true);
    }

    /** The command queue, dead-lettering to its DLQ through the default exchange, and the DLQ. */
    void declareCommandQueues(Channel channel) throws IOException {
        AmqpNames names = config.names();
        channel.queueDeclare(names.deadLetters(), true, false, false, null);
        channel.queueDeclare(names.commands(), true, false, false,
                Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", names.deadLetters()));
    }

    /** Declares the whole topology once, for tools and tests; the adapter's parts declare what they use themselves. */
    public void declareTopology() throws IOException {
        try (Channel channel = consuming.createChannel()) {
            declareExchanges(channel);
            declareCommandQueues(channel);
        } catch (TimeoutException e) {
            throw new IOException(e);
        }
    }

    public AmqpConfig config() {
        return config;
    }

    public AmqpNames names() {
        return config.names();
    }

    /** The publisher with confirms shared by the adapter's parts. */
    public ConfirmingPublisher publisher() {
        return publisher;
    }

    Channel newConsumeChannel() throws IOException {
        return consuming.createChannel();
    }

    /** Both connections are open (false while the broker is away and recovery runs). */
    public boolean isOpen() {
        return publishing.isOpen() && consuming.isOpen();
    }

    /** Called after each automatic recovery of either connection. */
    public void onRecovery(Runnable action) {
        RecoveryListener listener = new RecoveryListener() {
            @Override
            public void handleRecovery(Recoverable recoverable) {
                action.run();
            }

            @Override
            public void handleRecoveryStarted(Recoverable recoverable) {
            }
        };
        if (publishing instanceof Recoverable r) r.addRecoveryListener(listener);
        if (consuming instanceof Recoverable r) r.addRecoveryListener(listener);
    }

    @Override
    public void close() {
        publisher.close();
        closeQuietly(consuming);
        closeQuietly(publishing);
        log.info("disconnected from RabbitMQ at {}", config.redactedUri());
    }

    static void closeQuietly(Connection connection) {
        if (connection == null) return;
        try {
            connection.close(Math.toIntExact(Duration.ofSeconds(3).toMillis()));
        } catch (Exception e) {
            log.debug("closing AMQP connection failed: {}", e.toString());
        }
    }
}
