package net.reactory.workflow.bootstrap.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every key the daemon reads. A key in a {@code --config} file or a {@code --set} flag must be one of these. */
public final class ConfigKeys {

    public static final String MONGOOSE = "MONGOOSE";
    public static final String AMQP_URI = "WORKFLOW_AMQP_URI";
    public static final String HTTP_BIND = "WORKFLOW_HTTP_BIND";
    public static final String HTTP_PORT = "WORKFLOW_HTTP_PORT";
    public static final String ADMIN_TOKEN = "WORKFLOW_ADMIN_TOKEN";
    public static final String PLUGINS_DIR = "WORKFLOW_PLUGINS_DIR";
    public static final String HTTP_MAX_BODY = "WORKFLOW_HTTP_MAX_BODY";
    public static final String DEFINITIONS_DIR = "WORKFLOW_DEFINITIONS_DIR";
    /** Read by the client commands and the launcher script, not by the daemon: never warned about. */
    private static final List<String> OTHERS = List.of("WORKFLOW_URL", "WORKFLOW_JAVA_OPTS");

    private static final List<ConfigKey> ALL = List.of(
            new ConfigKey(MONGOOSE, "unset: memory", "MongoDB connection string (mongodb:// or mongodb+srv://); unset: in-memory store", true),
            new ConfigKey("WORKFLOW_MONGO_DB", "from the connection string, else reactory-workflow", "MongoDB database", false),
            new ConfigKey("WORKFLOW_PERSISTENCE_FALLBACK", "memory", "when MongoDB is unreachable at start: memory (readiness DEGRADED) or fail", false),
            new ConfigKey("WORKFLOW_PERSISTENCE_RETRY", "PT30S", "how long to retry MongoDB at start before the fallback applies", false),
            new ConfigKey(AMQP_URI, "unset: no AMQP", "RabbitMQ URI (amqp:// or amqps://); unset: no broker", true),
            new ConfigKey("WORKFLOW_AMQP_PREFIX", "workflow", "first word of every RabbitMQ queue and exchange name", false),
            new ConfigKey("WORKFLOW_AMQP_PREFETCH", "250", "RabbitMQ commands in hand at once per node", false),
            new ConfigKey("WORKFLOW_AMQP_EVENTS", "all", "lifecycle events published to RabbitMQ: all, or workflow (started, completed, failed, suspended, resumed, terminated only)", false),
            new ConfigKey("WORKFLOW_POLL_INTERVAL", "1000", "safety-net poll period, milliseconds or ISO-8601 (PT1S)", false),
            new ConfigKey("WORKFLOW_MAX_CONCURRENT", "1024", "instances run at once by this node", false),
            new ConfigKey("WORKFLOW_DURABILITY", "per-step", "per-step or burst", false),
            new ConfigKey("WORKFLOW_LEASE_DURATION", "PT30S", "how long a node's claim on an instance lasts unless renewed; a dead node's work moves after it", false),
            new ConfigKey("WORKFLOW_RETRY_INITIAL_DELAY", "PT1S", "first retry delay of a failed step that declares none", false),
            new ConfigKey("WORKFLOW_RETRY_MAX_DELAY", "PT5M", "ceiling of the doubling retry delay of a step that declares none", false),
            new ConfigKey("WORKFLOW_STEP_TIMEOUT", "unset: none", "timeout of a step attempt that declares none (its thread is interrupted)", false),
            new ConfigKey("WORKFLOW_BREAKER_FAILURES", "5", "consecutive failures of steps calling a dependency that open its circuit breaker", false),
            new ConfigKey("WORKFLOW_BREAKER_OPEN", "PT30S", "how long an open breaker parks the steps calling its dependency before a trial call", false),
            new ConfigKey("WORKFLOW_MAX_INPUT_BYTES", "1048576", "largest start data accepted, in bytes as JSON; 0 for no limit", false),
            new ConfigKey("WORKFLOW_FINISHED_RETENTION", "PT1H in memory, P7D on MongoDB",
                    "how long finished instances and delivered event ids are kept before they are purged", false),
            new ConfigKey("WORKFLOW_HISTORY_LIMIT", "1000", "change events kept per instance (the newest); older ones are counted, not kept; 0 keeps no history", false),
            new ConfigKey(DEFINITIONS_DIR, "unset: none", "folder of JSON and YAML workflow definitions loaded at start", false),
            new ConfigKey(HTTP_BIND, "127.0.0.1", "address of the admin API, health and metrics; non-loopback needs WORKFLOW_ADMIN_TOKEN", false),
            new ConfigKey(HTTP_PORT, "8090", "port of the admin API (0: any free port, logged at start)", false),
            new ConfigKey(ADMIN_TOKEN, "unset: no token", "bearer token every request but /health/live must carry; at least 16 characters", true),
            new ConfigKey(HTTP_MAX_BODY, "1048576", "largest request body in bytes; larger gets 413", false),
            new ConfigKey(PLUGINS_DIR, "unset: none", "folder of plugin jars loaded at start", false));

    private static final Map<String, ConfigKey> BY_NAME = index();

    private ConfigKeys() {
    }

    public static List<ConfigKey> all() {
        return ALL;
    }

    public static boolean isKnown(String name) {
        return BY_NAME.containsKey(name);
    }

    public static boolean isSecret(String name) {
        ConfigKey key = BY_NAME.get(name);
        return key != null && key.secret();
    }

    /** Environment variables named like ours ({@code WORKFLOW_*}) that no part of the runner reads: typos, mostly. */
    public static boolean isUnknownWorkflowVariable(String name) {
        return name.startsWith("WORKFLOW_") && !isKnown(name) && !OTHERS.contains(name);
    }

    /** The known key nearest to {@code name} by edit distance, for a "did you mean" hint. */
    public static String closest(String name) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (ConfigKey key : ALL) {
            int d = distance(name, key.name());
            if (d < bestDistance) {
                best = key.name();
                bestDistance = d;
            }
        }
        return best;
    }

    /** Levenshtein distance, two rows. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) previous[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static Map<String, ConfigKey> index() {
        Map<String, ConfigKey> map = new LinkedHashMap<>();
        ALL.forEach(k -> map.put(k.name(), k));
        return Map.copyOf(map);
    }
}
