package net.reactory.workflow.bootstrap.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import net.reactory.workflow.application.port.in.BreakerState;
import net.reactory.workflow.application.port.in.WorkflowRunner;
import net.reactory.workflow.bootstrap.Settings;

/**
 * Computes {@code /health/ready}: the runner, the store, the broker, the breakers and any added indicator.
 * It sees the runner through its inbound port only; what it needs of the adapters (their names, a read of the
 * store) the wiring hands it as a {@link StoreProbe} and the work signal's name.
 */
public final class Readiness {

    /**
     * The store as readiness sees it.
     *
     * @param kind the store adapter's name, shown in the report ({@code MongoInstanceStore}, {@code MemoryInstanceStore})
     * @param read a cheap read of the store, which throws when the store is unreachable
     */
    public record StoreProbe(java.util.function.Supplier<String> kinds, Runnable read) {
        public StoreProbe(String kind, Runnable read) {
            this(() -> kind, read);
        }

        public String kind() {
            return kinds.get();
        }
    }

    /** A store whose name in the report changes while the daemon runs (the memory fallback, until it moved to MongoDB). */
    public interface NamedStore {
        /** {@value #MEMORY_FALLBACK} while on the fallback, else the adapter's name. */
        String readinessName();

        String MEMORY_FALLBACK = "memory-fallback";
    }

    private final WorkflowRunner runner;
    private final StoreProbe store;
    private final String workSignalKind;
    private final Settings settings;
    private final List<HealthIndicator> extra;

    /** @param workSignalKind the work signal adapter's name ({@code AmqpWorkSignal}, {@code InProcessWorkSignal}) */
    public Readiness(WorkflowRunner runner, StoreProbe store, String workSignalKind, Settings settings, List<HealthIndicator> extra) {
        this.runner = runner;
        this.store = store;
        this.workSignalKind = workSignalKind;
        this.settings = settings;
        this.extra = List.copyOf(extra);
    }

    /** The overall status and one entry per component. */
    public Map<String, Object> report() {
        Map<String, HealthIndicator.Check> checks = new LinkedHashMap<>();
        checks.put("runner", runner.isInitialized()
                ? new HealthIndicator.Check(HealthIndicator.Status.UP, "initialized")
                : new HealthIndicator.Check(HealthIndicator.Status.DOWN, "not initialized (starting or stopping)"));
        checks.put("store", storeCheck());
        checks.put("broker", brokerCheck());
        for (HealthIndicator indicator : extra) {
            HealthIndicator.Check check;
            try {
                check = indicator.check();
            } catch (RuntimeException e) {
                check = new HealthIndicator.Check(HealthIndicator.Status.DOWN, "check failed: " + e.getClass().getSimpleName());
            }
            checks.put(indicator.name(), check);
        }
        checks.putIfAbsent("breakers", breakerCheck());
        HealthIndicator.Status overall = HealthIndicator.Status.UP;
        Map<String, Object> components = new LinkedHashMap<>();
        for (Map.Entry<String, HealthIndicator.Check> e : checks.entrySet()) {
            HealthIndicator.Status s = e.getValue().status();
            if (s.ordinal() > overall.ordinal()) overall = s;
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("status", s.name());
            c.put("detail", e.getValue().detail());
            components.put(e.getKey(), c);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", overall.name());
        body.put("components", components);
        return body;
    }

    /** Each component's status alone ({@code UP}, {@code DEGRADED}, {@code DOWN}), by name, as {@link #report()} has them. */
    @SuppressWarnings("unchecked")
    public Map<String, String> componentStates() {
        Map<String, String> states = new LinkedHashMap<>();
        Object components = report().get("components");
        if (components instanceof Map<?, ?> map) {
            map.forEach((name, c) -> states.put(String.valueOf(name), String.valueOf(((Map<String, Object>) c).get("status"))));
        }
        return states;
    }

    /** Whether the daemon is configured with a broker (RabbitMQ); without one the work signal stays in this process. */
    public boolean brokerConfigured() {
        return settings.amqpUri().isPresent();
    }

    private HealthIndicator.Check breakerCheck() {
        List<BreakerState> states;
        try {
            states = runner.circuitBreakers();
        } catch (RuntimeException e) {
            return new HealthIndicator.Check(HealthIndicator.Status.DEGRADED, "breaker states unavailable: " + e.getClass().getSimpleName());
        }
        List<String> open = new ArrayList<>();
        StringBuilder all = new StringBuilder();
        for (BreakerState b : states) {
            if (!b.closed()) open.add(b.name() + " " + b.state());
            if (!all.isEmpty()) all.append(", ");
            all.append(b.name()).append(' ').append(b.state());
        }
        return open.isEmpty()
                ? new HealthIndicator.Check(HealthIndicator.Status.UP, all.isEmpty() ? "none" : all.toString())
                : new HealthIndicator.Check(HealthIndicator.Status.DEGRADED, "not closed: " + String.join(", ", open));
    }

    private HealthIndicator.Check storeCheck() {
        String kind = store.kind();
        BreakerState breaker = storeBreaker();
        if (breaker != null && breaker.open()) {
            return new HealthIndicator.Check(HealthIndicator.Status.DOWN, kind + ": its circuit breaker is open, next trial in " + breaker.remainingDelay());
        }
        long started = System.nanoTime();
        try {
            store.read().run();
        } catch (RuntimeException e) {
            return new HealthIndicator.Check(HealthIndicator.Status.DOWN, kind + " unreachable: " + e.getClass().getSimpleName());
        }
        long micros = (System.nanoTime() - started) / 1_000;
        if (kind.equals(NamedStore.MEMORY_FALLBACK)) {
            return new HealthIndicator.Check(HealthIndicator.Status.DEGRADED, NamedStore.MEMORY_FALLBACK
                    + ": MONGOOSE is set but MongoDB did not answer at start; instances are held in memory until it answers, then moved there"
                    + " (see persistence)");
        }
        if (settings.mongoose().isPresent() && kind.contains("Memory")) {
            return new HealthIndicator.Check(HealthIndicator.Status.DEGRADED,
                    "MONGOOSE is set but the in-memory store is in use (fallback): instances are lost on restart");
        }
        return new HealthIndicator.Check(HealthIndicator.Status.UP, kind + " answered in " + micros + " us");
    }

    private HealthIndicator.Check brokerCheck() {
        String kind = workSignalKind;
        if (settings.amqpUri().isEmpty()) {
            return new HealthIndicator.Check(HealthIndicator.Status.UP, "none configured: " + kind + " in this process");
        }
        if (!kind.toLowerCase().contains("amqp")) {
            return new HealthIndicator.Check(HealthIndicator.Status.DEGRADED, "WORKFLOW_AMQP_URI is set but " + kind + " is in use");
        }
        return new HealthIndicator.Check(HealthIndicator.Status.UP, kind);
    }

    private BreakerState storeBreaker() {
        try {
            for (BreakerState b : runner.circuitBreakers()) {
                if (b.name().equals("store")) return b;
            }
        } catch (RuntimeException e) {
            // Without the breaker states the probe read decides.
        }
        return null;
    }
}
