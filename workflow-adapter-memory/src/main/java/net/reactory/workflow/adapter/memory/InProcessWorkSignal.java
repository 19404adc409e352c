package net.reactory.workflow.adapter.memory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import net.reactory.workflow.application.port.out.WorkSignal;

/** Wakes the runners of one process, such as several runners sharing one memory store in tests. */
public final class InProcessWorkSignal implements WorkSignal {

    private final List<Consumer<String>> subscribers = new CopyOnWriteArrayList<>();

    @Override
    public void signal(String instanceId) {
        for (Consumer<String> subscriber : subscribers) {
            try {
                subscriber.accept(instanceId);
            } catch (RuntimeException e) {
                // A subscriber's failure is its own: the others still hear the signal, and the poller is the safety net.
            }
        }
    }

    @Override
    public AutoCloseable subscribe(Consumer<String> onRunnable) {
        subscribers.add(onRunnable);
        return () -> subscribers.remove(onRunnable);
    }
}
