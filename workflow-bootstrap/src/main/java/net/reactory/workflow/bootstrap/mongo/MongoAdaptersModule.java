package net.reactory.workflow.bootstrap.mongo;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.google.inject.AbstractModule;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;

import net.reactory.workflow.application.port.out.AuditLog;
import net.reactory.workflow.application.port.out.EventStore;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.port.out.LifecycleEventPublisher;
import net.reactory.workflow.bootstrap.OutboxPublishing;
import net.reactory.workflow.application.port.out.WorkSignal;
import net.reactory.workflow.bootstrap.http.HealthIndicator;
import net.reactory.workflow.bootstrap.metrics.Instrumentation;

import io.micrometer.core.instrument.Gauge;

/**
 * Overrides the memory adapters with MongoDB's (instances, events and subscriptions, audit, work signal), adds the outbox's
 * acknowledger to the lifecycle publishers, and reports the persistence in readiness. For a node on the memory
 * fallback (MongoDB unreachable at start) it binds the fallback's stores, which move to MongoDB once it answers, and a
 * readiness indicator saying DEGRADED and why until then.
 */
public final class MongoAdaptersModule extends AbstractModule {

    private final MongoPersistence persistence;

    public MongoAdaptersModule(MongoPersistence persistence) {
        this.persistence = persistence;
    }

    @Override
    protected void configure() {
        bind(MongoPersistence.class).toInstance(persistence);
        Multibinder.newSetBinder(binder(), HealthIndicator.class).addBinding().toInstance(new PersistenceIndicator(persistence));
        if (persistence.fallback().isPresent()) {
            MemoryFallback fallback = persistence.fallback().get();
            bind(InstanceStore.class).toInstance(fallback.instances());
            bind(EventStore.class).toInstance(fallback.events());
            bind(AuditLog.class).toInstance(fallback.audit());
            // Saves write outbox entries once moved to MongoDB: the runner acknowledges them as on a node started there.
            OptionalBinder.newOptionalBinder(binder(), OutboxPublishing.ACKNOWLEDGER).setBinding().toInstance(persistence.fallbackAcknowledger());
            return;
        }
        bind(InstanceStore.class).toInstance(persistence.instances());
        bind(EventStore.class).toInstance(persistence.events());
        bind(AuditLog.class).toInstance(persistence.audit());
        // Wake-ups between daemons sharing only MongoDB; RabbitMQ's work signal overrides it when configured.
        bind(WorkSignal.class).toInstance(persistence.workSignal());
        OptionalBinder.newOptionalBinder(binder(), OutboxPublishing.ACKNOWLEDGER).setBinding().toInstance(persistence.outbox().acknowledger());
    }

    public static Optional<MongoPersistence> find(Injector injector) {
        return injector.getExistingBinding(Key.get(MongoPersistence.class)) == null
                ? Optional.empty() : Optional.of(injector.getInstance(MongoPersistence.class));
    }

    /** Once the runner runs: relays outbox entries in doubt to the daemon's adapter publishers (the acknowledger aside). */
    public static void start(Injector injector) {
        find(injector).ifPresent(p -> {
            p.fallback().ifPresent(fallback -> Gauge.builder("workflow.store.memory.only.instances", fallback, MemoryFallback::instancesOnlyInMemory)
                    .description("instances held only in this process's memory (the memory fallback), lost if it dies before they are moved to MongoDB")
                    .register(injector.getInstance(Instrumentation.class).registry()));
            List<LifecycleEventPublisher> targets = List.copyOf(
                    injector.getInstance(Key.get(new TypeLiteral<Set<LifecycleEventPublisher>>() { })));
            p.startOutbox(OutboxPublishing.toEach(targets));
        });
    }

    public static void stop(Injector injector) {
        find(injector).ifPresent(MongoPersistence::close);
    }

    private record PersistenceIndicator(MongoPersistence persistence) implements HealthIndicator {
        @Override
        public String name() {
            return "persistence";
        }

        @Override
        public Check check() {
            return persistence.degradedReason()
                    .map(reason -> new Check(Status.DEGRADED, "memory-fallback: " + reason + "; "
                            + persistence.fallback().map(MemoryFallback::instancesOnlyInMemory).orElse(0)
                            + " instances held only in memory; probing MongoDB every " + MongoPersistence.PROBE_PERIOD.toSeconds()
                            + " s and moving them there once it answers"))
                    .orElseGet(() -> new Check(Status.UP, persistence.where()));
        }
    }
}
