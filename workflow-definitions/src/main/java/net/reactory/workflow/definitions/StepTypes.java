package net.reactory.workflow.definitions;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import net.reactory.workflow.application.port.in.LogSafe;
import net.reactory.workflow.domain.step.ExecutionResult;

/**
 * The step types JSON definitions may name, by name. Built in: {@code log}; the reader itself knows
 * {@code delay}, {@code wait-for-event}, {@code publish-event}, {@code set-data} and the control-flow types.
 * Library users and plugins {@link #register} their own.
 */
public final class StepTypes {

    private static final Logger log = LoggerFactory.getLogger("workflow.steps");

    private final Map<String, StepType> types = new ConcurrentHashMap<>();

    /** The built-in types only. */
    public static StepTypes builtIn() {
        StepTypes types = new StepTypes();
        types.register("log", params -> {
            Object message = params.get("message");
            if (!(message instanceof String text)) throw new IllegalArgumentException("params.message must be a text");
            return ctx -> {
                log.info("[{} {}] {}", ctx.definition(), ctx.step(), LogSafe.of(Templates.resolve(text, ctx.data())));
                return ExecutionResult.next();
            };
        });
        return types;
    }

    /** Adds a type; a name already taken is refused, so a plugin cannot silently replace a built-in. */
    public StepTypes register(String name, StepType type) {
        Objects.requireNonNull(type, "type");
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a step type needs a name");
        if (DefinitionReader.RESERVED.contains(name) || types.putIfAbsent(name, type) != null) {
            throw new IllegalArgumentException("step type '" + name + "' is registered already");
        }
        return this;
    }

    StepType find(String name) {
        return types.get(name);
    }

    /** Every name a definition may use, built-in and registered, sorted. */
    public Set<String> names() {
        Set<String> all = new TreeSet<>(types.keySet());
        all.addAll(DefinitionReader.RESERVED);
        return all;
    }
}
