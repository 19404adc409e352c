package net.reactory.workflow.adapter.amqp;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How the AMQP adapter talks to RabbitMQ.
 *
 * @param uri                   {@code amqp://user:password@host:port/vhost} or {@code amqps://…}; never logged as is
 * @param prefix                every queue and exchange name starts with it (default {@code workflow})
 * @param prefetch              command deliveries unacknowledged at once, so handled in parallel
 * @param maxBodyBytes          larger command bodies are dead-lettered as {@code oversize-body}
 * @param maxAttempts           a command failing for a passing reason (store away, …) is retried this often, then dead-lettered
 * @param confirmTimeout        how long a publish waits for the broker's confirm before it counts as failed
 * @param connectTimeout        how long {@link AmqpConnector#connect} keeps trying at start
 * @param outboxCapacity        lifecycle events held in memory while the broker is away; beyond it the oldest are dropped (logged)
 * @param connectionName        shown in the broker's management UI and {@code rabbitmqctl list_connections}
 * @param retryBackoff          pause before the second attempt of a failed command; doubles per attempt, at most five seconds
 * @param events                which lifecycle events are published: all of them, or the workflow-level ones only
 */
public record AmqpConfig(String uri, String prefix, int prefetch, int maxBodyBytes, int maxAttempts,
                         Duration confirmTimeout, Duration connectTimeout, int outboxCapacity, String connectionName,
                         Duration retryBackoff, EventScope events) {

    public static final String DEFAULT_PREFIX = "workflow";
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]+)*");

    public AmqpConfig {
        Objects.requireNonNull(uri, "uri");
        String scheme = URI.create(uri.trim()).getScheme();
        if (!"amqp".equalsIgnoreCase(scheme) && !"amqps".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("AMQP URI must start with amqp:// or amqps://, not " + scheme + "://");
        }
        prefix = prefix == null || prefix.isBlank() ? DEFAULT_PREFIX : prefix.trim();
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("AMQP prefix '" + prefix + "' must be words of letters, digits, '-' or '_' joined by dots");
        }
        if (prefetch < 1 || prefetch > 65535) throw new IllegalArgumentException("prefetch must be within 1..65535: " + prefetch);
        if (maxBodyBytes < 1) throw new IllegalArgumentException("maxBodyBytes must be positive: " + maxBodyBytes);
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        Objects.requireNonNull(confirmTimeout, "confirmTimeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (outboxCapacity < 1) throw new IllegalArgumentException("outboxCapacity must be positive: " + outboxCapacity);
        connectionName = connectionName == null ? "workflow-runner" : connectionName;
        Objects.requireNonNull(retryBackoff, "retryBackoff");
        events = events == null ? EventScope.ALL : events;
    }

    public static AmqpConfig of(String uri) {
        return new AmqpConfig(uri, DEFAULT_PREFIX, 250, 1024 * 1024, 10, Duration.ofSeconds(15), Duration.ofSeconds(30),
                1_000_000, "workflow-runner", Duration.ofMillis(200), EventScope.ALL);
    }

    public AmqpConfig withPrefix(String v) {
        return new AmqpConfig(uri, v, prefetch, maxBodyBytes, maxAttempts, confirmTimeout, connectTimeout, outboxCapacity, connectionName, retryBackoff, events);
    }

    public AmqpConfig withPrefetch(int v) {
        return new AmqpConfig(uri, prefix, v, maxBodyBytes, maxAttempts, confirmTimeout, connectTimeout, outboxCapacity, connectionName, retryBackoff, events);
    }

    public AmqpConfig withMaxBodyBytes(int v) {
        return new AmqpConfig(uri, prefix, prefetch, v, maxAttempts, confirmTimeout, connectTimeout, outboxCapacity, connectionName, retryBackoff, events);
    }

    public AmqpConfig withMaxAttempts(int v) {
        return new AmqpConfig(uri, prefix, prefetch, maxBodyBytes, v, confirmTimeout, connectTimeout, outboxCapacity, connectionName, retryBackoff, events);
    }

    public AmqpConfig withConnectTimeout(Duration v) {
        return new AmqpConfig(uri, prefix, prefetch, maxBodyBytes, maxAttempts, confirmTimeout, v, outboxCapacity, connectionName, retryBackoff, events);
    }

    public AmqpConfig withOutboxCapacity(int v) {
        return new AmqpConfig(uri, prefix, prefetch, maxBodyBytes, maxAttempts, confirmTimeout, connectTimeout, v, connectionName, retryBackoff, events);
    }

    public AmqpConfig withConnectionName(String v) {
        return new AmqpConfig(uri, prefix, prefetch, maxBodyBytes, maxAttempts, confirmTimeout, connectTimeout, outboxCapacity, v, retryBackoff, events);
    }

    public AmqpConfig withRetryBackoff(Duration v) {
        return new AmqpConfig(uri, prefix, prefetch, maxBodyBytes, maxAttempts, confirmTimeout, connectTimeout, outboxCapacity, connectionName, v, events);
    }

    public AmqpConfig withEvents(EventScope v) {
        return new AmqpConfig(uri, prefix, prefetch, maxBodyBytes, maxAttempts, confirmTimeout, connectTimeout, outboxCapacity, connectionName, retryBackoff, v);
    }

    public AmqpNames names() {
        return new AmqpNames(prefix);
    }

    /** The URI with its password replaced by {@code ***}, fit for a log line. */
    public String redactedUri() {
        return redact(uri);
    }

    static String redact(String uri) {
        return uri.replaceAll("(?i)^(amqps?://)([^:@/]*):([^@/]*)@", "$1$2:***@");
    }

    @Override
    public String toString() {
        return "AmqpConfig[uri=" + redactedUri() + ", prefix=" + prefix + ", prefetch=" + prefetch + ", maxBodyBytes=" + maxBodyBytes
                + ", maxAttempts=" + maxAttempts + ", events=" + events.word() + "]";
    }
}
