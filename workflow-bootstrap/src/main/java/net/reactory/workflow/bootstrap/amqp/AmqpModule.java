package net.reactory.workflow.bootstrap.amqp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.InstantSource;
import java.util.Optional;

import com.google.inject.AbstractModule;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.name.Named;
import com.google.inject.name.Names;

import com.rabbitmq.client.AuthenticationFailureException;

import net.reactory.workflow.adapter.amqp.AmqpConfig;
import net.reactory.workflow.application.port.out.LifecycleEventPublisher;
import net.reactory.workflow.application.port.out.WorkSignal;
import net.reactory.workflow.bootstrap.Daemon;
import net.reactory.workflow.bootstrap.config.ConfigKeys;
import net.reactory.workflow.bootstrap.http.HealthIndicator;

/**
 * RabbitMQ for the daemon, installed when {@code WORKFLOW_AMQP_URI} is set: the work signal becomes the broker's
 * wake-up fanout, lifecycle events go to the topic exchange, and commands are taken from the command queue.
 * Install it overriding the module that binds the in-process {@link WorkSignal}.
 */
public final class AmqpModule extends AbstractModule {

    private final AmqpConfig config;

    public AmqpModule(AmqpConfig config) {
        this.config = config;
    }

    public static AmqpConfig config(String uri, String prefix, int prefetch) {
        return AmqpConfig.of(uri).withPrefix(prefix).withPrefetch(prefetch);
    }

    @Override
    protected void configure() {
        Multibinder.newSetBinder(binder(), LifecycleEventPublisher.class).addBinding().to(Key.get(LifecycleEventPublisher.class, Names.named("amqp")));
        Multibinder.newSetBinder(binder(), HealthIndicator.class).addBinding().to(ConnectionIndicator.class);
    }

    @Provides
    @Singleton
    AmqpBridge bridge(InstantSource clock) {
        try {
            return AmqpBridge.open(config, clock);
        } catch (IOException e) {
            throw startFailure(config, e);
        }
    }

    /** What the operator reads when the broker cannot be used at start: the URI (password masked) and what to do. */
    static Daemon.StartException startFailure(AmqpConfig config, IOException e) {
        if (e.getCause() instanceof AuthenticationFailureException refused) {
            return new Daemon.StartException("RabbitMQ at " + config.redactedUri() + " refused the credentials (" + firstWords(refused)
                    + "): correct the user and password in " + ConfigKeys.AMQP_URI, true, e);
        }
        Throwable why = e.getCause() == null ? e : e.getCause();
        return new Daemon.StartException("RabbitMQ at " + config.redactedUri() + " did not answer within " + seconds(config.connectTimeout())
                + " (" + why.getClass().getSimpleName() + (why.getMessage() == null ? "" : ": " + why.getMessage()) + "): start it, or correct the host and port in "
                + ConfigKeys.AMQP_URI + " (unset it to run without a broker)", false, e);
    }

    /** "ACCESS_REFUSED - Login was refused using ..." without the broker's advice to read its log file. */
    private static String firstWords(AuthenticationFailureException e) {
        String m = e.getMessage() == null ? "ACCESS_REFUSED" : e.getMessage();
        int dot = m.indexOf(". ");
        return dot < 0 ? m : m.substring(0, dot);
    }

    private static String seconds(java.time.Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    @Provides
    @Singleton
    WorkSignal workSignal(AmqpBridge bridge) {
        return bridge.signal();
    }

    /**
     * With a store that keeps an outbox, events go out with a confirm per call and the call throws while the
     * broker is away, so the store keeps them; without one, the adapter's in-memory outbox holds them.
     */
    @Provides
    @Singleton
    @Named("amqp")
    LifecycleEventPublisher lifecycleEvents(AmqpBridge bridge, @Named("outbox-acknowledger") Optional<LifecycleEventPublisher> storeOutbox) {
        return storeOutbox.isPresent() ? bridge.storeOutboxPublisher() : bridge.events();
    }

    /** The bridge when the injector was built with this module. */
    public static Optional<AmqpBridge> find(Injector injector) {
        return injector.getExistingBinding(Key.get(AmqpBridge.class)) == null
                ? Optional.empty() : Optional.of(injector.getInstance(AmqpBridge.class));
    }

    /** Readiness sees the connection itself: the work signal being RabbitMQ's says nothing about whether it is connected. */
    static final class ConnectionIndicator implements HealthIndicator {
        private final AmqpBridge bridge;

        @com.google.inject.Inject
        ConnectionIndicator(AmqpBridge bridge) {
            this.bridge = bridge;
        }

        @Override
        public String name() {
            return "broker-connection";
        }

        @Override
        public Check check() {
            if (!bridge.everConnected()) {
                // Not ready: commands from the queue are not taken yet. Liveness stays UP, so no restart loop.
                return new Check(Status.DOWN, bridge.notConnectedReason());
            }
            return bridge.isConnected()
                    ? new Check(Status.UP, "connected to RabbitMQ")
                    : new Check(Status.DEGRADED, "RabbitMQ connection lost, recovering: lifecycle events wait, the runner goes on");
        }
    }
}
