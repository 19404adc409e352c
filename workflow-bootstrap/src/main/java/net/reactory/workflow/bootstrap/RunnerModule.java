package net.reactory.workflow.bootstrap;

import java.time.InstantSource;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;

import net.reactory.workflow.application.port.in.WorkflowRunner;
import net.reactory.workflow.application.port.out.AuditLog;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.port.out.WorkSignal;
import net.reactory.workflow.application.service.WorkflowRunnerService;

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
    }

    @Provides
    @Singleton
    WorkflowRunnerService runner(InstanceStore store, WorkSignal workSignal, AuditLog audit, InstantSource clock) {
        return WorkflowRunnerService.builder()
                .config(settings.runnerConfig())
                .store(store)
                .workSignal(workSignal)
                .auditLog(audit)
                .clock(clock)
                .publisher(new LoggingEventPublisher())
                .workflows(DefaultWorkflows.all())
                .build();
    }
}
