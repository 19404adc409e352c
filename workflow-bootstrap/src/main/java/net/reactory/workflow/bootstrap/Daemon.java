package net.reactory.workflow.bootstrap;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.util.Modules;

import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.bootstrap.amqp.AmqpModule;
import net.reactory.workflow.bootstrap.metrics.Instrumentation;
import net.reactory.workflow.bootstrap.mongo.MongoAdaptersModule;
import net.reactory.workflow.bootstrap.mongo.MongoPersistence;
import net.reactory.workflow.bootstrap.plugins.OperatorModule;

/** Wires the daemon with Guice from the settings. */
public final class Daemon {

    private final Injector injector;

    private Daemon(Injector injector) {
        this.injector = injector;
    }

    public static Daemon create(Settings settings) {
        return create(settings, OperatorModule.defaults());
    }

    /** With the operator side (metrics, plugins, admin API settings) given by the caller. */
    public static Daemon create(Settings settings, OperatorModule operator) {
        Module adapters = new MemoryAdaptersModule(settings.memoryRetention(), settings.historyLimit());
        if (settings.mongoose().isPresent()) {
            adapters = Modules.override(adapters).with(new MongoAdaptersModule(MongoPersistence.open(settings)));
        }
        if (settings.amqpUri().isPresent()) {
            adapters = Modules.override(adapters).with(new AmqpModule(
                    AmqpModule.config(settings.amqpUri().get(), settings.amqpPrefix(), settings.amqpPrefetch())));
        }
        List<Module> modules = List.of(new RunnerModule(settings), adapters, operator);
        return new Daemon(Guice.createInjector(modules));
    }

    public static Daemon fromEnvironment() {
        return create(Settings.fromEnvironment(Map.copyOf(System.getenv())));
    }

    public WorkflowRunnerService runner() {
        return injector.getInstance(WorkflowRunnerService.class);
    }

    /** Any object the daemon's modules bound, for the admin API and tests. */
    public <T> T instance(Class<T> type) {
        return injector.getInstance(type);
    }

    /** Any object the daemon's modules bound under a key (a qualified binding). */
    public <T> T instance(com.google.inject.Key<T> key) {
        return injector.getInstance(key);
    }

    public void start() throws Exception {
        runner().initialize().get(60, TimeUnit.SECONDS);
        MongoAdaptersModule.start(injector);
        var amqp = AmqpModule.find(injector);
        if (amqp.isPresent()) amqp.get().startConsuming(runner());
    }

    /** Lets the instrumentation's gauges read this daemon's runner and store (the command line's daemon does, once started). */
    public void watch(Instrumentation instrumentation) {
        instrumentation.watch(runner(), instance(InstanceStore.class));
    }

    public void stop() throws Exception {
        var amqp = AmqpModule.find(injector);
        amqp.ifPresent(b -> b.stopConsuming());
        try {
            runner().stop().get(30, TimeUnit.SECONDS);
        } finally {
            amqp.ifPresent(b -> b.close());
            MongoAdaptersModule.stop(injector);
        }
    }
}
