package net.reactory.workflow.bootstrap;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import net.reactory.workflow.adapter.amqp.EventScope;
import net.reactory.workflow.application.service.ResilienceConfig;
import net.reactory.workflow.application.service.RunnerConfig;

/**
 * The daemon's configuration, read from environment variables. The original runner's words stay:
 * {@code MONGOOSE} is the MongoDB connection string and {@code WORKFLOW_MONGO_DB} the database.
 * With {@code WORKFLOW_AMQP_URI} set, RabbitMQ carries commands, lifecycle events and wake-ups, under
 * {@code WORKFLOW_AMQP_PREFIX} (default {@code workflow}) with {@code WORKFLOW_AMQP_PREFETCH} commands in hand at once;
 * {@code WORKFLOW_AMQP_EVENTS=workflow} publishes only the workflow-level lifecycle events (default {@code all}).
 * Every {@code *.json} file of {@code WORKFLOW_DEFINITIONS_DIR} is read as a workflow definition at start.
 * With {@code MONGOOSE} set but MongoDB unreachable at start, the daemon retries for
 * {@code WORKFLOW_PERSISTENCE_RETRY} (default 30 s), then follows {@code WORKFLOW_PERSISTENCE_FALLBACK}:
 * {@code memory} (default; readiness DEGRADED) or {@code fail}. Finished instances and delivered event ids are
 * purged after {@code WORKFLOW_FINISHED_RETENTION}: by default an hour in memory (so memory stays flat), 7 days on MongoDB;
 * each instance's history goes with it. A history keeps the newest {@code WORKFLOW_HISTORY_LIMIT} change events of its
 * instance (default 1,000) and counts the older ones it dropped; 0 keeps no history.
 */
public record Settings(Optional<String> mongoose, Optional<String> mongoDatabase, Optional<String> amqpUri,
                       Duration pollInterval, int maxConcurrent, RunnerConfig.Durability durability,
                       String amqpPrefix, int amqpPrefetch, EventScope amqpEvents, Optional<Path> definitionsDir,
                       PersistenceFallback persistenceFallback, Duration persistenceRetry, Optional<Duration> finishedRetention,
                       Tuning tuning, int historyLimit) {

    /**
     * The runner's resilience defaults, for operators: what a workflow or step does not set itself.
     *
     * @param stepTimeout  timeout of a step attempt that declares none; empty for none
     * @param maxInputBytes largest start data accepted, as JSON bytes; 0 for no limit
     */
    public record Tuning(Duration leaseDuration, Duration retryInitialDelay, Duration retryMaxDelay, Optional<Duration> stepTimeout,
                         int breakerFailures, Duration breakerOpen, long maxInputBytes) {

        static Tuning from(Map<String, String> env) {
            ResilienceConfig r = ResilienceConfig.defaults();
            RunnerConfig c = RunnerConfig.defaults();
            Duration initial = duration(env, "WORKFLOW_RETRY_INITIAL_DELAY", c.retryInitialDelay());
            Duration max = duration(env, "WORKFLOW_RETRY_MAX_DELAY", c.retryMaxDelay());
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("WORKFLOW_RETRY_MAX_DELAY='" + env.get("WORKFLOW_RETRY_MAX_DELAY")
                        + "' is shorter than WORKFLOW_RETRY_INITIAL_DELAY (" + initial + ")");
            }
            return new Tuning(duration(env, "WORKFLOW_LEASE_DURATION", c.leaseDuration()), initial, max,
                    Optional.ofNullable(duration(env, "WORKFLOW_STEP_TIMEOUT", null)),
                    integer(env, "WORKFLOW_BREAKER_FAILURES", r.breakerFailureThreshold()),
                    duration(env, "WORKFLOW_BREAKER_OPEN", r.breakerOpenDelay()),
                    bytes(env, "WORKFLOW_MAX_INPUT_BYTES", r.maxInputBytes()));
        }

        RunnerConfig applyTo(RunnerConfig config) {
            ResilienceConfig r = config.resilience().withBreaker(breakerFailures, breakerOpen).withMaxInputBytes(maxInputBytes)
                    .withDefaultStepTimeout(stepTimeout.orElse(null));
            return config.withLeaseDuration(leaseDuration).withRetryDelays(retryInitialDelay, retryMaxDelay).withResilience(r);
        }
    }

    static final Duration MEMORY_RETENTION = Duration.ofHours(1);
    static final Duration MONGO_RETENTION = Duration.ofDays(7);
    static final int HISTORY_LIMIT = 1_000;

    /** What the daemon does when {@code MONGOOSE} is set but MongoDB cannot be reached at start. */
    public enum PersistenceFallback { MEMORY, FAIL }

    public static Settings fromEnvironment(Map<String, String> env) {
        return new Settings(
                nonBlank(env.get("MONGOOSE")),
                nonBlank(env.get("WORKFLOW_MONGO_DB")),
                nonBlank(env.get("WORKFLOW_AMQP_URI")),
                duration(env, "WORKFLOW_POLL_INTERVAL", Duration.ofSeconds(1)),
                integer(env, "WORKFLOW_MAX_CONCURRENT", 1024),
                durability(env),
                nonBlank(env.get("WORKFLOW_AMQP_PREFIX")).orElse("workflow"),
                integer(env, "WORKFLOW_AMQP_PREFETCH", 250),
                amqpEvents(env),
                nonBlank(env.get("WORKFLOW_DEFINITIONS_DIR")).map(Path::of),
                persistenceFallback(env),
                duration(env, "WORKFLOW_PERSISTENCE_RETRY", Duration.ofSeconds(30)),
                Optional.ofNullable(duration(env, "WORKFLOW_FINISHED_RETENTION", null)),
                Tuning.from(env),
                integer(env, "WORKFLOW_HISTORY_LIMIT", HISTORY_LIMIT, 0));
    }

    /** How long the in-memory store keeps finished instances and delivered event ids. */
    public Duration memoryRetention() {
        return finishedRetention.orElse(MEMORY_RETENTION);
    }

    /** How long MongoDB keeps finished instances and delivered events. */
    public Duration mongoRetention() {
        return finishedRetention.orElse(MONGO_RETENTION);
    }

    public RunnerConfig runnerConfig() {
        return tuning.applyTo(RunnerConfig.defaults().withPollInterval(pollInterval).withMaxConcurrent(maxConcurrent).withDurability(durability));
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /** Durations as ISO-8601 ({@code PT2S}) or plain milliseconds ({@code 2000}). */
    static Duration duration(Map<String, String> env, String key, Duration fallback) {
        String value = env.get(key);
        if (value == null || value.isBlank()) return fallback;
        try {
            Duration d = value.trim().matches("\\d+") ? Duration.ofMillis(Long.parseLong(value.trim())) : Duration.parse(value.trim());
            if (d.isZero() || d.isNegative()) throw new IllegalArgumentException();
            return d;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + "='" + value + "' is not a positive duration (milliseconds such as 1000, or ISO-8601 such as PT1S)");
        }
    }

    static int integer(Map<String, String> env, String key, int fallback) {
        return integer(env, key, fallback, 1);
    }

    static int integer(Map<String, String> env, String key, int fallback, int least) {
        String value = env.get(key);
        if (value == null || value.isBlank()) return fallback;
        try {
            int n = Integer.parseInt(value.trim());
            if (n < least) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "='" + value + "' is not a whole number of at least " + least);
        }
    }

    static long bytes(Map<String, String> env, String key, long fallback) {
        String value = env.get(key);
        if (value == null || value.isBlank()) return fallback;
        try {
            long n = Long.parseLong(value.trim());
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "='" + value + "' is not a whole number of bytes (0 for no limit)");
        }
    }

    private static PersistenceFallback persistenceFallback(Map<String, String> env) {
        String value = env.get("WORKFLOW_PERSISTENCE_FALLBACK");
        if (value == null || value.isBlank()) return PersistenceFallback.MEMORY;
        return switch (value.trim().toLowerCase()) {
            case "memory" -> PersistenceFallback.MEMORY;
            case "fail" -> PersistenceFallback.FAIL;
            default -> throw new IllegalArgumentException("WORKFLOW_PERSISTENCE_FALLBACK='" + value + "' is not one of memory, fail");
        };
    }

    private static EventScope amqpEvents(Map<String, String> env) {
        String value = env.get("WORKFLOW_AMQP_EVENTS");
        if (value == null || value.isBlank()) return EventScope.ALL;
        try {
            return EventScope.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("WORKFLOW_AMQP_EVENTS='" + value + "' is not one of all, workflow");
        }
    }

    private static RunnerConfig.Durability durability(Map<String, String> env) {
        String value = env.get("WORKFLOW_DURABILITY");
        if (value == null || value.isBlank()) return RunnerConfig.Durability.PER_STEP;
        return switch (value.trim().toLowerCase()) {
            case "per-step" -> RunnerConfig.Durability.PER_STEP;
            case "burst" -> RunnerConfig.Durability.BURST;
            default -> throw new IllegalArgumentException("WORKFLOW_DURABILITY='" + value + "' is not one of per-step, burst");
        };
    }
}
