package net.reactory.workflow.bootstrap.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.ObjectMapper;

import net.reactory.workflow.adapter.memory.MemoryEventStore;
import net.reactory.workflow.adapter.memory.MemoryInstanceStore;
import net.reactory.workflow.application.service.RunnerConfig;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/**
 * {@code java -jar workflow-runner.jar bench …}: runs a workload through the real runner and prints
 * one JSON line. Latency is per instance, from the start call to completion as seen by
 * {@code awaitFinished}; throughput is instances over the wall time from the first start to the last completion.
 */
public final class BenchCommand {

    private BenchCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String[] args) {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
            BenchWorkloads.workflow(options.workload());
        } catch (BenchOptions.UsageException e) {
            if (e.getMessage() == null) {
                System.out.println(BenchOptions.USAGE);
                return 0;
            }
            System.err.println("bench: " + e.getMessage());
            System.err.println(BenchOptions.USAGE);
            return 2;
        }
        try {
            Map<String, Object> result = options.via().equals("amqp") ? new AmqpBench(options).execute() : new BenchCommand.Run(options).execute();
            System.out.println(new ObjectMapper().writeValueAsString(result));
            return Boolean.TRUE.equals(result.get("ok")) ? 0 : 1;
        } catch (Exception e) {
            System.err.println("bench failed: " + e);
            return 1;
        }
    }

    private static final class Run {
        private final BenchOptions options;
        private final CountingStore store;
        private final WorkflowRunnerService runner;
        private final Workflow workflow;
        private volatile CountDownLatch completions;
        private final MongoBenchStore.Ends ends = new MongoBenchStore.Ends();
        private final BenchTracing tracing;
        private final MongoBenchStore.Opened mongoStore;

        Run(BenchOptions options) {
            this.options = options;
            this.mongoStore = options.store().equals("mongo") ? MongoBenchStore.open(options.mongoUri().orElseThrow(), options.historyLimit()) : null;
            // Finished instances are kept 2 s, long enough for the benchmark to see them finish, so memory stays flat.
            this.store = new CountingStore(mongoStore != null ? mongoStore.store() : new MemoryInstanceStore(Duration.ofSeconds(2), options.historyLimit()));
            this.workflow = BenchWorkloads.workflow(options.workload());
            boolean mongo = MongoBenchStore.endsByEvent(options);
            RunnerConfig config = RunnerConfig.defaults()
                    .withDurability(options.durability().equals("burst") ? RunnerConfig.Durability.BURST : RunnerConfig.Durability.PER_STEP);
            // The daemon's memory event store (concurrent maps), as the embedded default uses.
            this.tracing = BenchTracing.of(options.tracing());
            this.runner = tracing.register(WorkflowRunnerService.builder()).config(config).store(store).eventStore(new MemoryEventStore()).workflow(workflow)
                    .listener(event -> {
                        if (event instanceof WorkflowEvent.WorkflowCompleted) {
                            CountDownLatch latch = completions;
                            if (latch != null) latch.countDown();
                        }
                        // Only the runs that read an instance's end from its events (MongoDB) note them; in memory awaitFinished is free,
                        // and a map entry per event would be the benchmark's cost, not the engine's.
                        if (mongo) ends.ended(event);
                    })
                    .build();
        }

        Map<String, Object> execute() throws Exception {
            runner.initialize().get(60, TimeUnit.SECONDS);
            try {
                boolean events = options.workload().equals("events");
                if (options.warmup() > 0) {
                    if (events) eventsBatch(options.warmup(), -options.warmup() - 1);
                    else batch(options.warmup());
                }
                gc();
                store.reset();
                tracing.reset();
                MongoBenchStore.COMMANDS.reset();
                Map<String, Object> extra = new LinkedHashMap<>();
                Batch measured = events ? eventsBatch(options.instances(), 0, extra) : batch(options.instances());
                long roundTrips = store.roundTrips();
                // The benchmark's own completion checks load once per instance: not the runner's commands.
                long commands = MongoBenchStore.COMMANDS.sum() - store.loads();
                store.purgeFinishedBefore(Instant.now().plus(Duration.ofDays(1)));
                gc();
                long heap = usedHeap();
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("engine", "workflow-runner");
                out.put("workload", options.workload());
                out.put("store", options.store());
                out.put("durability", options.durability());
                out.put("n", options.instances());
                out.put("concurrency", options.concurrency());
                if (options.rate() != null) out.put("rate", options.rate());
                out.put("wall_ms", measured.wallNanos / 1_000_000);
                out.put("wf_per_s", Math.round(options.instances() / (measured.wallNanos / 1e9)));
                out.put("p50_ms", millis(measured.percentile(0.50)));
                out.put("p99_ms", millis(measured.percentile(0.99)));
                out.put("max_ms", millis(measured.percentile(1.0)));
                ProcessCost cost = measured.cost;
                out.put("cpu_ms_per_wf", msPerWorkflow(cost.cpuNanos(), options.instances()));
                if (cost.jitNanos() >= 0) out.put("jit_cpu_ms_per_wf", msPerWorkflow(cost.jitNanos(), options.instances()));
                if (cost.collectorNanos() >= 0) out.put("gc_cpu_ms_per_wf", msPerWorkflow(cost.collectorNanos(), options.instances()));
                if (cost.allocatedBytes() >= 0) out.put("alloc_bytes_per_wf", Math.round((double) cost.allocatedBytes() / options.instances()));
                out.put("store_round_trips_per_wf", Math.round(100.0 * roundTrips / options.instances()) / 100.0);
                if (options.store().equals("mongo")) out.put("store_commands_per_wf", Math.round(1000.0 * commands / options.instances()) / 1000.0);
                out.put("heap_mb", heap / (1024 * 1024));
                if (options.store().equals("memory")) out.put("history_limit", options.historyLimit());
                out.putAll(extra);
                if (tracing.isOn()) {
                    out.put("tracing", options.tracing());
                    out.put("spans_exported_per_wf", Math.round(100.0 * tracing.exportedSpans() / options.instances()) / 100.0);
                }
                out.put("failed", measured.failed.get());
                out.put("ok", measured.failed.get() == 0);
                return out;
            } finally {
                runner.stop().get(60, TimeUnit.SECONDS);
                tracing.close();
                if (mongoStore != null) mongoStore.drop();
            }
        }

        private Batch batch(int n) throws InterruptedException {
            Batch batch = new Batch(n);
            Semaphore inFlight = new Semaphore(options.concurrency());
            CountDownLatch finished = new CountDownLatch(n);
            String id = workflow.nameSpace() + "." + workflow.name();
            long intervalNanos = options.rate() == null ? 0 : 1_000_000_000L / options.rate();
            boolean seenByEvent = MongoBenchStore.endsByEvent(options);
            ProcessCost before = ProcessCost.now();
            long started = System.nanoTime();
            for (int i = 0; i < n; i++) {
                if (intervalNanos > 0) {
                    long due = started + i * intervalNanos;
                    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) LockSupport.parkNanos(wait);
                }
                inFlight.acquire();
                final int index = i;
                long t0 = System.nanoTime();
                runner.startWorkflow(id, null, BenchWorkloads.data(options.workload(), i))
                        .thenCompose(instanceId -> seenByEvent ? ends.of(instanceId) : runner.awaitFinished(instanceId))
                        .whenComplete((instance, error) -> {
                            batch.latencies[index] = System.nanoTime() - t0;
                            if (error != null || instance.status() != WorkflowStatus.COMPLETE
                                    || (!seenByEvent && !BenchWorkloads.correct(options.workload(), instance.data()))) {
                                batch.failed.incrementAndGet();
                            }
                            inFlight.release();
                            finished.countDown();
                        });
            }
            if (!finished.await(30, TimeUnit.MINUTES)) throw new IllegalStateException("instances did not finish within 30 minutes");
            batch.wallNanos = System.nanoTime() - started;
            batch.cost = ProcessCost.now().since(before);
            return batch;
        }

        private Batch eventsBatch(int n, int firstIndex) throws InterruptedException {
            return eventsBatch(n, firstIndex, new LinkedHashMap<>());
        }

        /**
         * {@code events}: starts {@code n} instances and lets each reach its wait, measures the heap they hold,
         * then publishes their events; throughput and latency are those of the resumption, from publish to completion.
         */
        private Batch eventsBatch(int n, int firstIndex, Map<String, Object> extra) throws InterruptedException {
            String id = workflow.nameSpace() + "." + workflow.name();
            Semaphore inFlight = new Semaphore(options.concurrency());
            CountDownLatch started = new CountDownLatch(n);
            for (int i = 0; i < n; i++) {
                inFlight.acquire();
                runner.startWorkflow(id, null, firstIndex + i).whenComplete((instanceId, error) -> {
                    inFlight.release();
                    started.countDown();
                });
            }
            if (!started.await(30, TimeUnit.MINUTES)) throw new IllegalStateException("instances were not stored within 30 minutes");
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
            while (runner.getState().running() > 0) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("instances did not reach their wait");
                LockSupport.parkNanos(1_000_000);
            }
            gc();
            extra.put("waiting", n);
            extra.put("heap_waiting_mb", usedHeap() / (1024 * 1024));
            Batch batch = new Batch(n);
            completions = new CountDownLatch(n);
            ProcessCost before = ProcessCost.now();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                inFlight.acquire();
                final int index = i;
                long published = System.nanoTime();
                runner.publishEvent(BenchWorkloads.EVENT, BenchWorkloads.eventKey(firstIndex + i), null, null).whenComplete((eventId, error) -> {
                    batch.latencies[index] = System.nanoTime() - published;
                    if (error != null) batch.failed.incrementAndGet();
                    inFlight.release();
                });
            }
            if (!completions.await(30, TimeUnit.MINUTES)) throw new IllegalStateException("resumed instances did not complete");
            batch.wallNanos = System.nanoTime() - t0;
            batch.cost = ProcessCost.now().since(before);
            completions = null;
            return batch;
        }
    }

    /** {@code nanos} of CPU spread over {@code instances}, in milliseconds to the nanosecond: the bench's per-workflow figures. */
    static double msPerWorkflow(long nanos, int instances) {
        return Math.round((double) nanos / instances) / 1e6;
    }

    private static final class Batch {
        final long[] latencies;
        final AtomicLong failed = new AtomicLong();
        long wallNanos;
        /** What the process spent over the measured part (every thread, the JIT and the collector included). */
        ProcessCost cost;
        private boolean sorted;

        Batch(int n) {
            latencies = new long[n];
        }

        long percentile(double p) {
            if (!sorted) {
                Arrays.sort(latencies);
                sorted = true;
            }
            int index = (int) Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1);
            return latencies[Math.max(0, index)];
        }
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }

    private static void gc() {
        for (int i = 0; i < 3; i++) System.gc();
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

}
