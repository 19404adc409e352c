package net.reactory.workflow.application.service.resilience;

import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import net.reactory.workflow.application.port.out.WorkSignal;
import net.reactory.workflow.application.service.ResilienceConfig;

/**
 * A circuit breaker around the broker's work signal: while it is open, signals are not sent (the poller is
 * the safety net for lost signals) rather than every command waiting on a broker that does not answer.
 * Lifecycle event publishers are not put behind it: in-process listeners share that port, and one
 * throwing listener must not silence the others; a failing publisher is logged and the runner goes on.
 */
public final class BrokerGuards {

    private static final Logger log = LoggerFactory.getLogger(BrokerGuards.class);

    public final CallGuard signalGuard;

    public BrokerGuards(ResilienceConfig config) {
        this.signalGuard = new CallGuard("work-signal", config.storeFailureThreshold(), config.storeOpenDelay());
    }

    public WorkSignal guard(WorkSignal signal) {
        return new WorkSignal() {
            @Override
            public void signal(String instanceId) {
                if (!signalGuard.allows()) return;
                try {
                    signal.signal(instanceId);
                    signalGuard.succeeded();
                } catch (RuntimeException e) {
                    signalGuard.failed();
                    log.warn("work signal for instance {} failed, the poller will find it: {}", instanceId, e.toString());
                }
            }

            @Override
            public AutoCloseable subscribe(Consumer<String> onRunnable) {
                return signal.subscribe(onRunnable);
            }
        };
    }
}
