package net.reactory.workflow.bootstrap.definitions;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import net.reactory.workflow.bootstrap.plugins.LoadedPlugins;
import net.reactory.workflow.definitions.DefinitionException;
import net.reactory.workflow.definitions.DefinitionReader;
import net.reactory.workflow.definitions.EventPublisher;
import net.reactory.workflow.definitions.StepTypes;
import net.reactory.workflow.domain.definition.Workflow;

/** The daemon's use of the reader: every file of the definitions folder, bad files logged and skipped. */
public final class JsonDefinitions {

    private static final Logger log = LoggerFactory.getLogger(JsonDefinitions.class);

    private JsonDefinitions() {
    }

    /** The good definitions of {@code folder} (none when absent); plugins' step types may be named in them. */
    public static List<Workflow> load(Optional<Path> folder, LoadedPlugins plugins, EventPublisher publisher) {
        if (folder.isEmpty()) return List.of();
        StepTypes types = StepTypes.builtIn();
        plugins.stepTypes().forEach((name, body) -> {
            try {
                types.register(name, params -> body);
            } catch (IllegalArgumentException e) {
                log.warn("plugin step type '{}' is not available to JSON definitions: {}", name, e.getMessage());
            }
        });
        DefinitionReader.Loaded loaded = new DefinitionReader(types, publisher).readDirectory(folder.get());
        for (DefinitionException failure : loaded.failures()) {
            for (String problem : failure.problems()) log.error("workflow definition {} not loaded: {}", failure.source(), problem);
        }
        // A file repeating an id and version already registered would stop the runner from building: refuse it here.
        java.util.Set<String> taken = new java.util.HashSet<>();
        net.reactory.workflow.bootstrap.DefaultWorkflows.all().forEach(w -> taken.add(w.key()));
        plugins.workflows().forEach(w -> taken.add(w.key()));
        List<Workflow> good = new java.util.ArrayList<>();
        int refused = loaded.failures().size();
        for (Workflow w : loaded.workflows()) {
            if (taken.add(w.key())) {
                good.add(w);
            } else {
                refused++;
                log.error("workflow definition {} not loaded: $: {} is defined twice", folder.get(), w.key());
            }
        }
        log.info("{} workflow definitions loaded from {}, {} refused", good.size(), folder.get(), refused);
        return List.copyOf(good);
    }
}
