package net.reactory.workflow.bootstrap;

import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.google.inject.AbstractModule;
import com.google.inject.Provider;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import com.google.inject.name.Named;

import net.reactory.workflow.application.port.in.WorkflowRunner;
import net.reactory.workflow.application.port.out.AuditLog;
import net.reactory.workflow.application.port.out.EventStore;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.port.out.LifecycleEventPublisher;
import net.reactory.workflow.application.port.out.WorkSignal;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.bootstrap.definitions.JsonDefinitions;
import net.reactory.workflow.definitions.EventPublisher;
import net.reactory.workflow.bootstrap.metrics.Instrumentation;
import net.reactory.workflow.bootstrap.plugins.LoadedPlugins;
import net.reactory.workflow.bootstrap.tracing.DaemonTracing;

/** Builds the runner from whatever adapters the other modules bound. */
final class RunnerModule extends AbstractModule {

    private final Settings settings;

    RunnerModule(Settings settings) {
        this.settings = settings;
    }

    @Override
    protected void configure() {
        bind(Settings.class).toInstance(settings);
        bind(InstantSource.class).toInstance(InstantSource.system());
        bind(WorkflowRunner.class).to(WorkflowRunnerService.class);
        // Adapter modules add publishers of lifecycle events here (RabbitMQ's topic exchange).
        Multibinder.newSetBinder(binder(), LifecycleEventPublisher.class);
        // A store with an outbox (MongoDB) binds its acknowledger here.
        OptionalBinder.newOptionalBinder(binder(), OutboxPublishing.ACKNOWLEDGER);
    }

    /** Tracing as the standard OTEL_* variables say; off (no SDK, no interceptor) unless they name a traces exporter. */
    @Provides
    @Singleton
    DaemonTracing tracing() {
        return DaemonTracing.fromEnvironment(Map.copyOf(System.getenv()));
    }

    @Provides
    @Singleton
    WorkflowRunnerService runner(InstanceStore store, WorkSignal workSignal, AuditLog audit, InstantSource clock,
                                 Instrumentation instrumentation, LoadedPlugins plugins, Set<LifecycleEventPublisher> adapterPublishers,
                                 EventStore events, Provider<WorkflowRunnerService> self,
                                 @Named("outbox-acknowledger") Optional<LifecycleEventPublisher> outboxAcknowledger,
                                 DaemonTracing tracing) {
        var builder = WorkflowRunnerService.builder()
                .config(settings.runnerConfig())
                .store(instrumentation.store(store))
                .workSignal(instrumentation.workSignal(workSignal))
                .metrics(instrumentation.metrics())
                .publisher(instrumentation.publisher())
                .workflows(plugins.workflows())
                .auditLog(audit)
                .clock(clock)
                .publisher(new LoggingEventPublisher())
                .workflows(DefaultWorkflows.all())
                .eventStore(events)
                .workflows(JsonDefinitions.load(settings.definitionsDir(), plugins, EventPublisher.to(self::get)));
        tracing.interceptor().ifPresent(builder::interceptor);
        if (outboxAcknowledger.isPresent()) {
            builder.publisher(OutboxPublishing.acknowledgedAfter(List.copyOf(adapterPublishers), outboxAcknowledger.get()));
        } else {
            adapterPublishers.forEach(builder::publisher);
        }
        return builder.build();
    }
}
