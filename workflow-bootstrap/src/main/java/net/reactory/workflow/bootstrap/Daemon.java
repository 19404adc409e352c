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
import net.reactory.workflow.bootstrap.config.ConfigException;
import net.reactory.workflow.bootstrap.mongo.MongoAdaptersModule;
import net.reactory.workflow.bootstrap.mongo.MongoPersistence;
import net.reactory.workflow.bootstrap.plugins.OperatorModule;

/** Wires the daemon with Guice from the settings. */
public final class Daemon {

    private static final String GUICE_BYTECODE_GEN = "guice_bytecode_gen_option";

    static {
        quietGuice();
    }

    private final Injector injector;

    private Daemon(Injector injector) {
        this.injector = injector;
    }

    /**
     * Guice generates classes through {@code sun.misc.Unsafe} by default, which JDK 24+ warns about in four lines at
     * every start; the daemon intercepts no methods, so reflection does. Set before Guice reads its flags;
     * {@code -Dguice_bytecode_gen_option=...} still wins.
     */
    public static void quietGuice() {
        if (System.getProperty(GUICE_BYTECODE_GEN) == null) System.setProperty(GUICE_BYTECODE_GEN, "DISABLED");
    }

    /**
     * Why the daemon could not start, in one line an operator can act on.
     *
     * @param configuration the configuration is wrong (exit 2: a restart will not help), not a dependency away
     */
    public static final class StartException extends RuntimeException {
        private final boolean configuration;

        public StartException(String message, boolean configuration, Throwable cause) {
            super(message, cause);
            this.configuration = configuration;
        }

        public boolean configuration() {
            return configuration;
        }
    }

    /**
     * The one line behind a failed start: Guice wraps what a provider threw in a {@code ProvisionException} whose
     * message is thirty lines of binding paths; the operator needs what the provider said.
     */
    public static StartException explain(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StartException s) return s;
            if (t instanceof ConfigException c) return new StartException("configuration error: " + c.getMessage(), true, c);
            if (t.getCause() == null || t.getCause() == t) {
                String text = t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + t.getMessage();
                return new StartException(text.lines().findFirst().orElse(text), false, failure);
            }
        }
        return new StartException("unknown failure", false, failure);
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
                    AmqpModule.config(settings.amqpUri().get(), settings.amqpPrefix(), settings.amqpPrefetch())
                            .withEvents(settings.amqpEvents())));
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
            injector.getInstance(net.reactory.workflow.bootstrap.tracing.DaemonTracing.class).close();
        }
    }
}
