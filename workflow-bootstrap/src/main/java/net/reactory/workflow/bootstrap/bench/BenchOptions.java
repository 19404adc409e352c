package net.reactory.workflow.bootstrap.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The options of {@code workflow-runner.jar bench}, with these exact names. */
record BenchOptions(String workload, int instances, String store, Optional<String> mongoUri, String durability,
                    int concurrency, int warmup, Integer rate, String via, String amqpUri, String amqpEvents, String tracing, int historyLimit) {

    static final List<String> WORKLOADS = List.of("w3", "w10-data", "fanout", "events");

    static final String USAGE = """
            usage: java -jar workflow-runner.jar bench [options]
              --workload w3|w10-data|fanout|events   what each instance does (default w3)
              --instances N                          instances measured (default 100000)
              --store memory|mongo                   where instances live (default memory)
              --mongo-uri URI                        MongoDB for --store mongo (default: MONGOOSE)
              --durability per-step|burst            when transitions are written (default per-step)
              --concurrency N                        instances in flight at once (default 1000)
              --warmup N                             instances run first and not measured (default instances/10, at most 100000)
              --rate N                               start at most N instances per second (default: as fast as possible)
              --via direct|amqp                      amqp: start through startWorkflow commands on RabbitMQ, wait for the
                                                     completed events (w3 or fanout, memory store; default direct)
              --amqp-uri URI                         the broker for --via amqp (default amqp://guest:guest@127.0.0.1:5672)
              --amqp-events all|workflow             lifecycle events the runner publishes with --via amqp (default workflow)
              --tracing off|drop                     drop: WorkflowTracing on an OpenTelemetry SDK that samples every span and
                                                     exports them to nothing (--via direct; default off)
              --history-limit N                      change events kept per instance, in either store; 0 keeps no
                                                     history: what history costs (default 1000, WORKFLOW_HISTORY_LIMIT's)
            Prints one JSON line per run.""";

    static BenchOptions parse(String[] args) {
        String workload = "w3";
        int instances = 100_000;
        String store = "memory";
        String mongoUri = null;
        String durability = "per-step";
        int concurrency = 1_000;
        Integer warmup = null;
        Integer rate = null;
        String via = "direct";
        String amqpUri = "amqp://guest:guest@127.0.0.1:5672";
        String amqpEvents = "workflow";
        String tracing = "off";
        int historyLimit = 1_000;
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty()) {
            String option = rest.remove(0);
            if (option.equals("--help") || option.equals("-h")) throw new UsageException(null);
            if (rest.isEmpty()) throw new UsageException("option " + option + " needs a value");
            String value = rest.remove(0);
            switch (option) {
                case "--workload" -> workload = oneOf(option, value, WORKLOADS);
                case "--instances" -> instances = positive(option, value);
                case "--store" -> store = oneOf(option, value, List.of("memory", "mongo"));
                case "--mongo-uri" -> mongoUri = value;
                case "--durability" -> durability = oneOf(option, value, List.of("per-step", "burst"));
                case "--concurrency" -> concurrency = positive(option, value);
                case "--warmup" -> warmup = nonNegative(option, value);
                case "--rate" -> rate = positive(option, value);
                case "--via" -> via = oneOf(option, value, List.of("direct", "amqp"));
                case "--amqp-uri" -> amqpUri = value;
                case "--amqp-events" -> amqpEvents = oneOf(option, value, List.of("all", "workflow"));
                case "--tracing" -> tracing = oneOf(option, value, List.of("off", "drop"));
                case "--history-limit" -> historyLimit = nonNegative(option, value);
                default -> throw new UsageException("unknown option " + option);
            }
        }
        if (store.equals("mongo") && mongoUri == null) {
            mongoUri = System.getenv("MONGOOSE");
            if (mongoUri == null) throw new UsageException("--store mongo needs --mongo-uri (or MONGOOSE)");
        }
        if (via.equals("amqp") && !List.of("w3", "fanout").contains(workload)) {
            throw new UsageException("--via amqp runs w3 or fanout (their data survives JSON), not " + workload);
        }
        if (via.equals("amqp") && !store.equals("memory")) throw new UsageException("--via amqp runs on the memory store");
        if (via.equals("amqp") && !tracing.equals("off")) throw new UsageException("--tracing " + tracing + " runs with --via direct");
        int warm = warmup != null ? warmup : Math.min(instances / 10, 100_000);
        return new BenchOptions(workload, instances, store, Optional.ofNullable(mongoUri), durability, concurrency, warm, rate, via, amqpUri, amqpEvents, tracing, historyLimit);
    }

    private static String oneOf(String option, String value, List<String> allowed) {
        if (!allowed.contains(value)) throw new UsageException(option + " '" + value + "' is not one of " + String.join(", ", allowed));
        return value;
    }

    private static int positive(String option, String value) {
        int n = nonNegative(option, value);
        if (n == 0) throw new UsageException(option + " must be at least 1");
        return n;
    }

    private static int nonNegative(String option, String value) {
        try {
            int n = Integer.parseInt(value.replace("_", ""));
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(option + " '" + value + "' is not a whole number");
        }
    }

    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
