package net.reactory.workflow.bootstrap.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;

import net.reactory.workflow.adapter.amqp.AmqpCommandConsumer;
import net.reactory.workflow.adapter.amqp.AmqpConfig;
import net.reactory.workflow.adapter.amqp.AmqpConnector;
import net.reactory.workflow.adapter.amqp.AmqpLifecycleEventPublisher;
import net.reactory.workflow.adapter.amqp.AmqpWorkSignal;
import net.reactory.workflow.adapter.amqp.EventScope;
import net.reactory.workflow.adapter.memory.MemoryEventStore;
import net.reactory.workflow.adapter.memory.MemoryInstanceStore;
import net.reactory.workflow.application.service.RunnerConfig;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.instance.WorkflowEvent;

/**
 * {@code bench --via amqp}: a service on the far side of the broker publishes {@code startWorkflow} commands (persistent,
 * with publisher confirms) to the command queue of a runner node in this JVM (memory store, wired as the daemon wires
 * it), and waits for their {@code completed} events on a queue bound to the lifecycle topic exchange. Latency is per
 * instance, command published to its {@code completed} event received; throughput is instances over the wall time
 * from the first publish to the last event. The client's own threads are timed apart, so the runner's CPU is the
 * process's minus theirs; on a local broker, its CPU ({@code beam.smp} in {@code /proc}) is read too.
 */
final class AmqpBench {

    private static final String CLIENT_THREAD = "bench-client-";
    /** Linux's USER_HZ: the unit of utime and stime in {@code /proc/<pid>/stat}. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private final BenchOptions options;
    private final Workflow workflow;
    private final String prefix = "bench-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    private final Map<String, Slot> byReference = new ConcurrentHashMap<>();
    private final Map<String, Slot> byInstance = new ConcurrentHashMap<>();
    private final AtomicInteger clientThreads = new AtomicInteger();

    /** Where one command's instance is counted: its batch and index. */
    private record Slot(Batch batch, int index) {
    }

    AmqpBench(BenchOptions options) {
        this.options = options;
        this.workflow = BenchWorkloads.workflow(options.workload());
    }

    Map<String, Object> execute() throws Exception {
        AmqpConfig config = AmqpConfig.of(options.amqpUri()).withPrefix(prefix).withConnectionName("workflow-bench runner")
                .withEvents(EventScope.parse(options.amqpEvents()));
        RunnerConfig rc = RunnerConfig.defaults()
                .withDurability(options.durability().equals("burst") ? RunnerConfig.Durability.BURST : RunnerConfig.Durability.PER_STEP);
        try (AmqpConnector connector = AmqpConnector.connect(config);
             AmqpLifecycleEventPublisher events = new AmqpLifecycleEventPublisher(connector)) {
            AmqpWorkSignal signal = new AmqpWorkSignal(connector, rc.nodeId());
            // Finished instances are kept 2 s, as in the direct bench, so memory stays flat.
            WorkflowRunnerService runner = WorkflowRunnerService.builder().config(rc).store(new MemoryInstanceStore(Duration.ofSeconds(2)))
                    .eventStore(new MemoryEventStore()).workSignal(signal).publisher(events).workflow(workflow)
                    .listener(this::onStarted).build();
            runner.initialize().get(60, TimeUnit.SECONDS);
            ConnectionFactory factory = new ConnectionFactory();
            factory.setUri(options.amqpUri());
            factory.setThreadFactory(task -> Thread.ofPlatform().name(CLIENT_THREAD + clientThreads.incrementAndGet()).daemon(true).unstarted(task));
            AmqpCommandConsumer consumer = new AmqpCommandConsumer(connector, runner, InstantSource.system()).start();
            try (Connection client = factory.newConnection("workflow-bench client")) {
                Channel publishing = client.createChannel();
                listen(client.createChannel(), connector.names().events());
                try {
                    if (options.warmup() > 0) batch(publishing, options.warmup(), "w");
                    gc();
                    Optional<Long> broker0 = brokerCpuNanos();
                    Batch measured = batch(publishing, options.instances(), "m");
                    Optional<Long> broker1 = brokerCpuNanos();
                    return report(config, measured, broker0.flatMap(b0 -> broker1.map(b1 -> b1 - b0)));
                } finally {
                    consumer.close();
                    deleteTopology(client, connector.names());
                    runner.stop().get(60, TimeUnit.SECONDS);
                }
            }
        }
    }

    private Map<String, Object> report(AmqpConfig config, Batch measured, Optional<Long> brokerNanos) {
        int n = options.instances();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("engine", "workflow-runner");
        out.put("via", "amqp");
        out.put("workload", options.workload());
        out.put("store", options.store());
        out.put("durability", options.durability());
        out.put("amqp_events", options.amqpEvents());
        out.put("n", n);
        out.put("concurrency", options.concurrency());
        out.put("prefetch", config.prefetch());
        out.put("publish_ms", measured.publishNanos / 1_000_000);
        out.put("wall_ms", measured.wallNanos / 1_000_000);
        out.put("wf_per_s", Math.round(n / (measured.wallNanos / 1e9)));
        out.put("p50_ms", millis(measured.percentile(0.50)));
        out.put("p99_ms", millis(measured.percentile(0.99)));
        out.put("max_ms", millis(measured.percentile(1.0)));
        out.put("cpu_ms_per_wf", perWf(measured.cpuNanos));
        out.put("client_cpu_ms_per_wf", perWf(measured.clientCpuNanos));
        out.put("runner_cpu_ms_per_wf", perWf(measured.cpuNanos - measured.clientCpuNanos));
        brokerNanos.ifPresent(b -> out.put("broker_cpu_ms_per_wf", perWf(b)));
        out.put("heap_mb", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024));
        out.put("failed", measured.failed.get());
        out.put("ok", measured.failed.get() == 0);
        return out;
    }

    private double perWf(long nanos) {
        return BenchCommand.msPerWorkflow(nanos, options.instances());
    }

    /** The runner's in-process listener: learns which instance a command (by its message id, the reference) started. */
    private void onStarted(WorkflowEvent event) {
        if (event instanceof WorkflowEvent.WorkflowStarted started && started.reference() != null) {
            Slot slot = byReference.remove(started.reference());
            if (slot != null) byInstance.put(started.instanceId(), slot);
        }
    }

    /** The far side: a queue of this run's {@code completed} events, auto-acknowledged. */
    private void listen(Channel channel, String exchange) throws IOException {
        String queue = channel.queueDeclare(prefix + ".bench.completed", false, true, true, null).getQueue();
        channel.queueBind(queue, exchange, prefix + "." + workflow.nameSpace() + "." + workflow.name() + ".completed");
        channel.basicQos(2000);
        channel.basicConsume(queue, true, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                long now = System.nanoTime();
                Object instance = properties.getHeaders() == null ? null : properties.getHeaders().get("x-workflow-instance");
                Slot slot = instance == null ? null : byInstance.remove(instance.toString());
                if (slot != null) slot.batch.completed(slot.index, now);
            }
        });
    }

    private Batch batch(Channel channel, int n, String run) throws Exception {
        Batch batch = new Batch(n, options.concurrency());
        channel.confirmSelect();
        AtomicLong nacked = new AtomicLong();
        channel.addConfirmListener(new ConfirmListener() {
            @Override
            public void handleAck(long deliveryTag, boolean multiple) {
            }

            @Override
            public void handleNack(long deliveryTag, boolean multiple) {
                nacked.incrementAndGet();
            }
        });
        String commands = prefix + ".commands";
        String id = workflow.nameSpace() + "." + workflow.name();
        long intervalNanos = options.rate() == null ? 0 : 1_000_000_000L / options.rate();
        long clientCpu0 = clientCpuNanos();
        long cpu0 = ProcessCost.processCpuNanos();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            if (intervalNanos > 0) {
                long due = t0 + i * intervalNanos;
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) LockSupport.parkNanos(wait);
            }
            batch.inFlight.acquire();
            String reference = prefix + "-" + run + i;
            AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().type("startWorkflow").contentType("application/json")
                    .deliveryMode(2).messageId(reference).build();
            batch.publishedAt[i] = System.nanoTime();
            byReference.put(reference, new Slot(batch, i)); // after the time: the map hands it to the consumer thread
            channel.basicPublish("", commands, props, ("{\"id\":\"" + id + "\",\"data\":" + i + "}").getBytes(StandardCharsets.UTF_8));
        }
        channel.waitForConfirmsOrDie(TimeUnit.MINUTES.toMillis(5));
        batch.publishNanos = System.nanoTime() - t0;
        awaitCompletions(batch, channel);
        batch.wallNanos = batch.lastCompletion - t0;
        batch.cpuNanos = ProcessCost.processCpuNanos() - cpu0;
        batch.clientCpuNanos = clientCpuNanos() - clientCpu0;
        batch.failed.addAndGet(nacked.get());
        return batch;
    }

    /** Waits for every {@code completed} event; gives up when the client's connection is lost or a minute passes without one. */
    private static void awaitCompletions(Batch batch, Channel channel) throws InterruptedException {
        long seen = batch.finished.getCount();
        long lastProgress = System.nanoTime();
        while (!batch.finished.await(1, TimeUnit.SECONDS)) {
            // The client's queue is exclusive: a broker restart takes it, and the events with it.
            if (!channel.getConnection().isOpen()) throw new IllegalStateException("the bench client lost its broker connection");
            long left = batch.finished.getCount();
            if (left < seen) {
                seen = left;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > TimeUnit.MINUTES.toNanos(1)) {
                throw new IllegalStateException(left + " instances did not complete: no completed event for a minute");
            }
        }
    }

    /** CPU of the bench client: the publishing thread (this one) and the client connection's threads. */
    private long clientCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = threads.getCurrentThreadCpuTime();
        long[] ids = threads.getAllThreadIds();
        ThreadInfo[] infos = threads.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            if (infos[i] != null && infos[i].getThreadName().startsWith(CLIENT_THREAD)) {
                long cpu = threads.getThreadCpuTime(ids[i]);
                if (cpu > 0) total += cpu;
            }
        }
        return total;
    }

    /** The broker's CPU so far, when it runs on this machine (one {@code beam.smp}) and {@code /proc} can be read. */
    private Optional<Long> brokerCpuNanos() {
        String host = java.net.URI.create(options.amqpUri()).getHost();
        if (!"127.0.0.1".equals(host) && !"localhost".equals(host)) return Optional.empty();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("beam.smp")).orElse(false))
                .findFirst()
                .flatMap(p -> {
                    try {
                        String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
                        // The fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                        return Optional.of(ticks * 1_000_000_000L / CLOCK_TICKS_PER_SECOND);
                    } catch (IOException | RuntimeException e) {
                        return Optional.empty();
                    }
                });
    }

    private void deleteTopology(Connection client, net.reactory.workflow.adapter.amqp.AmqpNames names) {
        for (String queue : new String[] {names.commands(), names.deadLetters()}) {
            try (Channel ch = client.createChannel()) {
                ch.queueDelete(queue);
            } catch (Exception ignored) {
                // Absent already.
            }
        }
        for (String exchange : new String[] {names.events(), names.wakeup()}) {
            try (Channel ch = client.createChannel()) {
                ch.exchangeDelete(exchange);
            } catch (Exception ignored) {
                // Absent already.
            }
        }
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }

    private static void gc() {
        for (int i = 0; i < 3; i++) System.gc();
    }

    private static final class Batch {
        final long[] publishedAt;
        final long[] latencies;
        final Semaphore inFlight;
        final CountDownLatch finished;
        final AtomicLong failed = new AtomicLong();
        volatile long lastCompletion;
        long publishNanos;
        long wallNanos;
        long cpuNanos;
        long clientCpuNanos;

        Batch(int n, int concurrency) {
            publishedAt = new long[n];
            latencies = new long[n];
            inFlight = new Semaphore(concurrency);
            finished = new CountDownLatch(n);
        }

        /** On the client's consumer thread, one at a time. */
        void completed(int index, long now) {
            latencies[index] = now - publishedAt[index];
            lastCompletion = now;
            inFlight.release();
            finished.countDown();
        }

        long percentile(double p) {
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
            return sorted[Math.max(0, index)];
        }
    }
}
