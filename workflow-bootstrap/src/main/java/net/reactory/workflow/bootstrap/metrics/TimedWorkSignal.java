package net.reactory.workflow.bootstrap.metrics;

import java.util.function.Consumer;

import io.micrometer.core.instrument.MeterRegistry;

import net.reactory.workflow.application.port.out.WorkSignal;

/** Measures the work signal's calls: with RabbitMQ configured these are the broker's calls. */
public final class TimedWorkSignal implements WorkSignal {

    private final WorkSignal delegate;
    private final TimedInstanceStore.Call signal;

    public TimedWorkSignal(WorkSignal delegate, MeterRegistry registry) {
        this.delegate = delegate;
        this.signal = new TimedInstanceStore.Call(registry, "workflow.broker", "signal");
    }

    @Override
    public void signal(String instanceId) {
        signal.time(() -> {
            delegate.signal(instanceId);
            return null;
        });
    }

    @Override
    public AutoCloseable subscribe(Consumer<String> onRunnable) {
        return delegate.subscribe(onRunnable);
    }
}
