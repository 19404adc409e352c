package net.reactory.workflow.bootstrap.cli;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

import net.reactory.workflow.application.port.in.WorkflowRunner;
import net.reactory.workflow.bootstrap.Daemon;
import net.reactory.workflow.bootstrap.DefaultWorkflows;
import net.reactory.workflow.bootstrap.Settings;
import net.reactory.workflow.bootstrap.config.ConfigException;
import net.reactory.workflow.bootstrap.config.ConfigKey;
import net.reactory.workflow.bootstrap.config.ConfigKeys;
import net.reactory.workflow.bootstrap.config.ConfigLoader;
import net.reactory.workflow.bootstrap.config.OperatorConfig;
import net.reactory.workflow.bootstrap.config.Redaction;
import net.reactory.workflow.bootstrap.http.AdminServer;
import net.reactory.workflow.bootstrap.http.Readiness;
import net.reactory.workflow.bootstrap.metrics.Instrumentation;
import net.reactory.workflow.bootstrap.plugins.LoadedPlugins;
import net.reactory.workflow.bootstrap.plugins.OperatorModule;
import net.reactory.workflow.bootstrap.plugins.PluginLoader;
import net.reactory.workflow.domain.definition.Workflow;

/** {@code run}: the daemon, until SIGTERM or SIGINT, then a graceful stop and exit 0. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the daemon (the default command) until SIGTERM or SIGINT.",
                "Configuration: environment variables, then --config FILE, then flags; a later source wins."})
public final class RunCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Option(names = "--config", paramLabel = "FILE", description = "a properties file of configuration keys (see the README's table)")
    Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "a configuration key, overriding the environment and the file")
    Map<String, String> set = new LinkedHashMap<>();

    @Option(names = "--http-bind", paramLabel = "ADDRESS", description = "same as --set WORKFLOW_HTTP_BIND=ADDRESS")
    String httpBind;

    @Option(names = "--http-port", paramLabel = "PORT", description = "same as --set WORKFLOW_HTTP_PORT=PORT")
    String httpPort;

    @Option(names = "--plugins-dir", paramLabel = "DIR", description = "same as --set WORKFLOW_PLUGINS_DIR=DIR")
    String pluginsDir;

    @Override
    public Integer call() {
        Map<String, String> flags = new LinkedHashMap<>(set);
        if (httpBind != null) flags.put(ConfigKeys.HTTP_BIND, httpBind);
        if (httpPort != null) flags.put(ConfigKeys.HTTP_PORT, httpPort);
        if (pluginsDir != null) flags.put(ConfigKeys.PLUGINS_DIR, pluginsDir);
        Settings settings;
        OperatorConfig operator;
        Map<String, String> values;
        try {
            values = ConfigLoader.load(System.getenv(), configFile, flags);
            settings = Settings.fromEnvironment(values);
            operator = OperatorConfig.from(values);
        } catch (ConfigException | IllegalArgumentException e) {
            // The log goes to standard error: one line there, not the log line and a copy.
            log.error("configuration error: {}", e.getMessage());
            return ExitCodes.USAGE;
        }
        logConfiguration(values);
        ConfigLoader.unknownEnvironmentVariables(System.getenv()).forEach(log::warn);
        return run(settings, operator);
    }

    private static void logConfiguration(Map<String, String> values) {
        StringBuilder line = new StringBuilder();
        for (ConfigKey key : ConfigKeys.all()) {
            String v = values.get(key.name());
            if (v == null || v.isBlank()) continue;
            if (!line.isEmpty()) line.append(", ");
            line.append(key.name()).append('=').append(Redaction.value(key.name(), v));
        }
        log.info("configuration: {}", line.isEmpty() ? "all defaults" : line);
    }

    private static int run(Settings settings, OperatorConfig operator) {
        CountDownLatch stopRequested = new CountDownLatch(1);
        // Handling the signals ourselves (not a shutdown hook) lets the daemon stop gracefully and exit 0.
        Signal.handle(new Signal("TERM"), s -> stopRequested.countDown());
        Signal.handle(new Signal("INT"), s -> stopRequested.countDown());

        Set<String> builtIn = new HashSet<>();
        for (Workflow w : DefaultWorkflows.all()) builtIn.add(w.key());
        LoadedPlugins plugins = operator.pluginsDir().map(dir -> PluginLoader.load(dir, builtIn)).orElse(LoadedPlugins.NONE);
        Instrumentation instrumentation = new Instrumentation();
        Daemon daemon;
        AdminServer admin;
        try {
            daemon = Daemon.create(settings, new OperatorModule(operator, plugins, instrumentation));
            WorkflowRunner runner = daemon.instance(WorkflowRunner.class);
            admin = new AdminServer(operator, runner, instrumentation, daemon.instance(Readiness.class), settings.historyLimit());
            admin.start();
            log.info("admin API listening on http://{}:{}{}", hostForUrl(operator), admin.port(),
                    operator.adminToken().isPresent() ? " (bearer token required)" : "");
        } catch (Exception e) {
            return failedToStart(e);
        }
        try {
            daemon.start();
            daemon.watch(instrumentation);
        } catch (Exception e) {
            admin.close();
            return failedToStart(e);
        }
        log.info("workflow runner is running; stop it with SIGTERM");
        try {
            stopRequested.await();
            log.info("stop requested: finishing in-flight steps");
            admin.close();
            daemon.stop();
            instrumentation.close();
            return ExitCodes.OK;
        } catch (Exception e) {
            log.error("workflow runner did not stop cleanly: {}", e.toString());
            return ExitCodes.ERROR;
        }
    }

    /** One line saying why, and exit 2 when the configuration is at fault (a restart will not help), else 1. */
    private static int failedToStart(Exception e) {
        Daemon.StartException why = Daemon.explain(e);
        log.error("workflow runner failed to start: {}", why.getMessage());
        log.debug("workflow runner failed to start", e);
        return why.configuration() ? ExitCodes.USAGE : ExitCodes.ERROR;
    }

    private static String hostForUrl(OperatorConfig operator) {
        String host = operator.bind().getHostAddress();
        return host.contains(":") ? "[" + host + "]" : host;
    }
}
