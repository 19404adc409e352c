package net.reactory.workflow.bootstrap.plugins;

import java.util.List;
import java.util.Set;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;

import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.port.out.WorkSignal;
import net.reactory.workflow.application.port.in.WorkflowRunner;
import net.reactory.workflow.bootstrap.Settings;
import net.reactory.workflow.bootstrap.config.OperatorConfig;
import net.reactory.workflow.bootstrap.http.HealthIndicator;
import net.reactory.workflow.bootstrap.http.Readiness;
import net.reactory.workflow.bootstrap.metrics.Instrumentation;
import net.reactory.workflow.bootstrap.metrics.TimedInstanceStore;

/**
 * Binds what the operator side adds to the runner: metrics and history ({@link Instrumentation}), the
 * workflows of the plugin folder, the admin API's settings, and the set of readiness indicators that
 * other modules may add to.
 */
public final class OperatorModule extends AbstractModule {

    private final OperatorConfig config;
    private final LoadedPlugins plugins;
    private final Instrumentation instrumentation;

    public OperatorModule(OperatorConfig config, LoadedPlugins plugins, Instrumentation instrumentation) {
        this.config = config;
        this.plugins = plugins;
        this.instrumentation = instrumentation;
    }

    /** No plugins, no admin API settings beyond the defaults: what an in-process daemon gets. */
    public static OperatorModule defaults() {
        return new OperatorModule(OperatorConfig.defaults(), LoadedPlugins.NONE, new Instrumentation());
    }

    @Override
    protected void configure() {
        bind(OperatorConfig.class).toInstance(config);
        bind(LoadedPlugins.class).toInstance(plugins);
        bind(Instrumentation.class).toInstance(instrumentation);
        Multibinder.newSetBinder(binder(), HealthIndicator.class);
    }

    @Provides
    @Singleton
    Readiness readiness(WorkflowRunner runner, InstanceStore store, WorkSignal workSignal, Settings settings, Set<HealthIndicator> extra) {
        InstanceStore raw = store instanceof TimedInstanceStore timed ? timed.delegate() : store;
        Readiness.StoreProbe probe = raw instanceof Readiness.NamedStore named
                ? new Readiness.StoreProbe(named::readinessName, () -> raw.load("readiness-probe"))
                : new Readiness.StoreProbe(raw.getClass().getSimpleName(), () -> raw.load("readiness-probe"));
        return new Readiness(runner, probe, workSignal.getClass().getSimpleName(), settings, List.copyOf(extra));
    }
}
