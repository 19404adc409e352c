package net.reactory.workflow.definitions;

import static net.reactory.workflow.definitions.JsonFields.bool;
import static net.reactory.workflow.definitions.JsonFields.duration;
import static net.reactory.workflow.definitions.JsonFields.integer;
import static net.reactory.workflow.definitions.JsonFields.kind;
import static net.reactory.workflow.definitions.JsonFields.text;
import static net.reactory.workflow.definitions.JsonFields.unknownFields;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import net.reactory.workflow.domain.definition.ErrorBehaviour;
import net.reactory.workflow.domain.definition.RetrySpec;
import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.definition.SemanticVersion;
import net.reactory.workflow.domain.step.StepBody;
import net.reactory.workflow.domain.language.WorkflowBuilder;
import net.reactory.workflow.domain.definition.ErrorBehaviour;
import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.definition.SemanticVersion;
import net.reactory.workflow.domain.step.StepBody;
import net.reactory.workflow.domain.definition.StepKind;
import net.reactory.workflow.domain.language.WorkflowBuilder;

/**
 * Reads the {@code steps} of a definition onto a {@link WorkflowBuilder}: one method per built-in step type,
 * registered types through {@link StepTypes}, then each step's settings ({@link #COMMON}).
 */
final class StepReader {

    /** The settings every step takes, whatever its type. */
    static final Set<String> COMMON = Set.of("name", "type", "onError", "maxAttempts", "retry", "timeout", "dependsOn", "compensateWith",
            "description", "cancelWhen", "proceedAfterCancel");
    private static final Set<String> RETRY = Set.of("initialDelay", "maxDelay", "multiplier", "jitter", "retryOn", "abortOn");
    /** The fields each built-in type ({@link DefinitionReader#RESERVED}) takes besides the common ones. */
    static final Map<String, Set<String>> FIELDS = Map.ofEntries(
            Map.entry("delay", Set.of("duration")),
            Map.entry("wait-for-event", Set.of("event", "key", "into")),
            Map.entry("publish-event", Set.of("event", "key", "data")),
            Map.entry("set-data", Set.of("values")),
            Map.entry("decide", Set.of("on", "branches")),
            Map.entry("if", Set.of("condition", "steps")),
            Map.entry("while", Set.of("condition", "steps")),
            Map.entry("foreach", Set.of("items", "parallelism", "steps")),
            Map.entry("parallel", Set.of("branches")),
            Map.entry("schedule", Set.of("after", "steps")),
            Map.entry("recur", Set.of("interval", "until", "steps")),
            Map.entry("saga", Set.of("steps", "continueAfterCompensation")),
            Map.entry("child", Set.of("workflow", "version", "input", "into")),
            Map.entry("end", Set.of()));

    private final StepTypes types;
    private final EventPublisher publisher;
    private final ObjectMapper mapper;
    private final Conditions conditions;

    StepReader(StepTypes types, EventPublisher publisher, ObjectMapper mapper) {
        this.types = types;
        this.publisher = publisher;
        this.mapper = mapper;
        this.conditions = new Conditions(mapper);
    }

    /** One step object being read: its node, name and path, the step names seen so far, and where problems go. */
    private record Step(JsonNode node, String name, String type, String path, Map<String, String> names, Problems p) {
    }

    void steps(WorkflowBuilder<Map<String, Object>> flow, JsonNode steps, String path, Map<String, String> names, Problems p) {
        if (!steps.isArray()) {
            p.add(path, "expected an array of steps, found " + kind(steps));
            return;
        }
        if (steps.isEmpty()) p.add(path, "has no steps");
        for (int i = 0; i < steps.size(); i++) step(flow, steps.get(i), path + "[" + i + "]", names, p);
    }

    /** A nested block of steps (a branch, a loop body, a compensation), checked now and built later on its own builder. */
    private Consumer<WorkflowBuilder<Map<String, Object>>> block(JsonNode steps, String path, Map<String, String> names, Problems p) {
        if (steps == null) {
            p.add(path, "missing");
            return f -> { };
        }
        // Checked now, once, so problems are reported in document order; then replayed on the block's own builder.
        steps(WorkflowBuilder.define("probe", "probe", "1.0.0", DefinitionReader.DATA), steps, path, names, p);
        return f -> steps(f, steps, path, new HashMap<>(), new Problems());
    }

    private void step(WorkflowBuilder<Map<String, Object>> flow, JsonNode node, String path, Map<String, String> names, Problems p) {
        if (!node.isObject()) {
            p.add(path, "expected a step object, found " + kind(node));
            return;
        }
        String name = text(node, "name", path, true, p);
        String type = text(node, "type", path, true, p);
        if (name != null) {
            String first = names.putIfAbsent(name, path + ".name");
            if (first != null) p.add(path + ".name", "step name '" + name + "' is used twice (first at " + first + ")");
        }
        if (name == null || type == null) return;
        Set<String> allowed = new HashSet<>(COMMON);
        StepType registered = null;
        if (DefinitionReader.RESERVED.contains(type)) {
            allowed.addAll(FIELDS.get(type));
        } else {
            registered = types.find(type);
            if (registered == null) {
                p.add(path + ".type", "unknown step type '" + type + "' (known: " + String.join(", ", types.names()) + ")");
                return;
            }
            allowed.add("params");
        }
        unknownFields(node, path, allowed, p);
        Step s = new Step(node, name, type, path, names, p);
        boolean read = switch (type) {
            case "delay" -> delay(flow, s);
            case "wait-for-event" -> waitForEvent(flow, s);
            case "publish-event" -> publishEvent(flow, s);
            case "set-data" -> setData(flow, s);
            case "decide" -> decide(flow, s);
            case "if" -> ifThen(flow, s);
            case "while" -> whileDo(flow, s);
            case "schedule" -> schedule(flow, s);
            case "recur" -> recur(flow, s);
            case "foreach" -> forEach(flow, s);
            case "parallel" -> parallel(flow, s);
            case "saga" -> saga(flow, s);
            case "child" -> child(flow, s);
            case "end" -> end(flow, s);
            default -> registered(flow, s, registered);
        };
        if (read) settings(flow, node, path, names, p);
    }

    // ------------------------------------------------------------------ the step types
    // Each returns false when the step is too broken to read its settings.

    private boolean delay(WorkflowBuilder<Map<String, Object>> flow, Step s) {
        flow.delay(s.name(), JsonFields.durationOf(s.node(), "duration", s.path(), s.p()));
        return true;
    }

    private boolean ifThen(WorkflowBuilder<Map<String, Object>> flow, Step s) {
        Predicate<Map<String, Object>> condition = conditions.read(s.node().get("condition"), s.path() + ".condition", s.p());
        flow.ifThen(s.name(), condition, block(s.node().get("steps"), s.path() + ".steps", s.names(), s.p()));
        return true;
    }

    private boolean whileDo(WorkflowBuilder<Map<String, Object>> flow, Step s) {
        Predicate<Map<String, Object>> condition = conditions.read(s.node().get("condition"), s.path() + ".condition", s.p());
        flow.whileDo(s.name(), condition, block(s.node().get("steps"), s.path() + ".steps", s.names(), s.p()));
        return true;
    }

    private boolean schedule(WorkflowBuilder<Map<String, Object>> flow, Step s) {
        var after = JsonFields.durationOf(s.node(), "after", s.path(), s.p());
        flow.schedule(s.name(), after, block(s.node().get("steps"), s.path() + ".steps", s.names(), s.p()));
        return true;
    }

    private boolean recur(WorkflowBuilder<Map<String, Object>> flow, Step s) {
        var interval = JsonFields.durationOf(s.node(), "interval", s.path(), s.p());
        Predicate<Map<String, Object>> until = conditions.read(s.node().get("until"), s.path() + ".until", s.p());
        flow.recur(s.name(), interval, until, block(s.node().get("steps"), s.path() + ".steps", s.names(), s.p()));
        return true;
    }

    private boolean waitForEvent(WorkflowBuilder<Map<String, Object>> flow, Step s) {
        String event = text(s.node(), "event", s.path(), true, s.p());
        String key = text(s.node(), "key", s.path(), true, s.p());
        String into = text(s.node(), "into", s.path(), false, s.p());
        if (event != null && key != null) {
            flow.waitFor(s.name(), event, data -> String.valueOf(Templates.resolveValue(key, data)),
                    (data, received) -> into == null ? data : Templates.with(data, into, received));
        }
        return true;
    }

    private boolean publishEvent(WorkflowBuilder<Map<String, Object>> flow, Step s) {
        String event = text(s.node(), "event", s.path(), true, s.p());
        String key = text(s.node(), "key", s.path(), true, s.p());
        Object payload = s.node().has("data") ? JsonFields.value(mapper, s.node().get("data")) : null;
        if (event != null && key != null) {
            flow.step(s.name(), ctx -> {
                publisher.publish(ctx.executionId(), event, String.valueOf(Templates.resolveValue(key, ctx.data())),
                        Templates.resolveValue(payload, ctx.data()));
                return ExecutionResult.next();
            });
        }
        return true;
    }

    private boolean setData(WorkflowBuilder<Map<String, Object>> flow, Step s) {
        JsonNode values = s.node().get("values");
        if (values == null || !values.isObject()) {
            s.p().add(s.path() + ".values", values == null ? "missing: the fields to set" : "expected an object, found " + kind(values));
            return true;
        }
        Map<String, Object> set = JsonFields.value(mapper, values);
        flow.then(s.name(), data -> {
            Map<String, Object> out = Templates.copy(data);
            set.forEach((k, v) -> out.put(k, Templates.resolveValue(v, data)));
            return out;
        });
        return true;
    }

    private boolean decide(WorkflowBuilder<Map<String, Object>> flow, Step s) {
        String on = text(s.node(), "on", s.path(), true, s.p());
        JsonNode branches = s.node().get("branches");
        if (branches == null || !branches.isObject()) {
            s.p().add(s.path() + ".branches", branches == null ? "missing: an object of value to steps" : "expected an object, found " + kind(branches));
            return false;
        }
        Map<String, Consumer<WorkflowBuilder<Map<String, Object>>>> blocks = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = branches.fields(); it.hasNext(); ) {
            var e = it.next();
            blocks.put(e.getKey(), block(e.getValue(), s.path() + ".branches." + e.getKey(), s.names(), s.p()));
        }
        if (on != null) {
            flow.decide(s.name(), data -> String.valueOf(Templates.field(data, on)), d -> blocks.forEach(d::when));
        }
        return true;
    }

    private boolean forEach(WorkflowBuilder<Map<String, Object>> flow, Step s) {
        String items = text(s.node(), "items", s.path(), true, s.p());
        int parallelism = integer(s.node(), "parallelism", s.path(), 1, 0, s.p());
        var body = block(s.node().get("steps"), s.path() + ".steps", s.names(), s.p());
        if (items != null) {
            flow.forEach(s.name(), data -> {
                Object list = Templates.field(data, items);
                return list instanceof List<?> l ? l : List.of();
            }, parallelism, body);
        }
        return true;
    }

    private boolean parallel(WorkflowBuilder<Map<String, Object>> flow, Step s) {
        JsonNode branches = s.node().get("branches");
        if (branches == null || !branches.isArray() || branches.size() < 2) {
            s.p().add(s.path() + ".branches", "expected an array of at least two arrays of steps");
            return false;
        }
        List<Consumer<WorkflowBuilder<Map<String, Object>>>> blocks = new ArrayList<>();
        for (int i = 0; i < branches.size(); i++) blocks.add(block(branches.get(i), s.path() + ".branches[" + i + "]", s.names(), s.p()));
        @SuppressWarnings("unchecked")
        Consumer<WorkflowBuilder<Map<String, Object>>>[] array = blocks.toArray(Consumer[]::new);
        flow.parallel(s.name(), array);
        return true;
    }

    private boolean saga(WorkflowBuilder<Map<String, Object>> flow, Step s) {
        boolean goOn = bool(s.node(), "continueAfterCompensation", s.path(), false, s.p());
        flow.saga(s.name(), block(s.node().get("steps"), s.path() + ".steps", s.names(), s.p()), goOn);
        return true;
    }

    private boolean child(WorkflowBuilder<Map<String, Object>> flow, Step s) {
        String workflowId = text(s.node(), "workflow", s.path(), true, s.p());
        String version = text(s.node(), "version", s.path(), false, s.p());
        String input = text(s.node(), "input", s.path(), false, s.p());
        String into = text(s.node(), "into", s.path(), false, s.p());
        if (version != null && !SemanticVersion.isValid(version)) s.p().add(s.path() + ".version", "'" + version + "' is not a semantic version");
        if (workflowId != null) {
            flow.child(s.name(), workflowId, version, data -> input == null ? data : Templates.field(data, input),
                    (data, result) -> into == null ? data : Templates.with(data, into, result));
        }
        return true;
    }

    private boolean end(WorkflowBuilder<Map<String, Object>> flow, Step s) {
        flow.step(s.name(), ctx -> ExecutionResult.next()).kind(StepKind.END).end();
        return true;
    }

    /** A step type a plugin registered: its body made from the step's {@code params}. */
    private boolean registered(WorkflowBuilder<Map<String, Object>> flow, Step s, StepType registered) {
        JsonNode paramsNode = s.node().get("params");
        Map<String, Object> params = Map.of();
        if (paramsNode != null) {
            if (paramsNode.isObject()) params = JsonFields.value(mapper, paramsNode);
            else s.p().add(s.path() + ".params", "expected an object, found " + kind(paramsNode));
        }
        try {
            StepBody body = registered.create(params);
            if (body == null) s.p().add(s.path() + ".params", "step type '" + s.type() + "' made no step from these parameters");
            else flow.step(s.name(), body);
        } catch (RuntimeException e) {
            s.p().add(s.path() + ".params", e.getMessage() == null ? e.toString() : e.getMessage());
        }
        return true;
    }

    /** How failed attempts are retried: {@code {"initialDelay": "PT1S", "maxDelay": "PT1M", "multiplier": 2, "jitter": 0.1, "abortOn": [...]}}. */
    private RetrySpec retry(JsonNode node, String path, Problems p) {
        if (!node.isObject()) {
            p.add(path, "expected an object with initialDelay, maxDelay, multiplier, jitter, retryOn or abortOn, found " + kind(node));
            return null;
        }
        unknownFields(node, path, RETRY, p);
        Duration initial = node.has("initialDelay") ? duration(node, "initialDelay", path, p) : null;
        Duration max = node.has("maxDelay") ? duration(node, "maxDelay", path, p) : null;
        Double multiplier = number(node, "multiplier", path, p);
        Double jitter = number(node, "jitter", path, p);
        Set<String> retryOn = node.has("retryOn") ? new HashSet<>(texts(node.get("retryOn"), path + ".retryOn", p)) : Set.of();
        Set<String> abortOn = node.has("abortOn") ? new HashSet<>(texts(node.get("abortOn"), path + ".abortOn", p)) : Set.of();
        try {
            return new RetrySpec(initial, max, multiplier, jitter, retryOn, abortOn);
        } catch (IllegalArgumentException e) {
            p.add(path, e.getMessage());
            return null;
        }
    }

    private static Double number(JsonNode node, String field, String path, Problems p) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isNumber()) {
            p.add(path + "." + field, "expected a number, found " + kind(v));
            return null;
        }
        return v.asDouble();
    }

    /** An array of non-blank texts, such as error type names. */
    private static List<String> texts(JsonNode node, String path, Problems p) {
        List<String> out = new ArrayList<>();
        if (!node.isArray()) {
            p.add(path, "expected an array of texts, found " + kind(node));
            return out;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode v = node.get(i);
            if (v.isTextual() && !v.asText().isBlank()) out.add(v.asText().trim());
            else p.add(path + "[" + i + "]", "expected a non-blank text, found " + (v.isTextual() ? "a blank one" : kind(v)));
        }
        return out;
    }

    /** onError, maxAttempts, retry, timeout, dependsOn, compensateWith and cancelWhen of the step just added. */
    private void settings(WorkflowBuilder<Map<String, Object>> flow, JsonNode node, String path, Map<String, String> names, Problems p) {
        String onError = text(node, "onError", path, false, p);
        if (onError != null) {
            try {
                flow.onError(ErrorBehaviour.valueOf(onError.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                p.add(path + ".onError", "'" + onError + "' is not one of fail, suspend, terminate, compensate");
            }
        }
        if (node.has("maxAttempts")) flow.maxAttempts(integer(node, "maxAttempts", path, 1, 1, p));
        if (node.has("retry")) {
            RetrySpec spec = retry(node.get("retry"), path + ".retry", p);
            if (spec != null) flow.retry(spec);
        }
        if (node.has("timeout")) {
            Duration timeout = duration(node, "timeout", path, p);
            if (timeout != null && timeout.isZero()) p.add(path + ".timeout", "must be longer than zero");
            else if (timeout != null) flow.timeout(timeout);
        }
        if (node.has("dependsOn")) {
            List<String> dependencies = texts(node.get("dependsOn"), path + ".dependsOn", p);
            if (!dependencies.isEmpty()) flow.dependsOn(dependencies.toArray(String[]::new));
        }
        if (node.has("compensateWith")) flow.compensateWith(block(node.get("compensateWith"), path + ".compensateWith", names, p));
        cancelWhen(flow, node, path, p);
    }

    /** cancelWhen takes the same condition form as if/while; proceedAfterCancel alone would silently mean nothing. */
    private void cancelWhen(WorkflowBuilder<Map<String, Object>> flow, JsonNode node, String path, Problems p) {
        boolean proceed = bool(node, "proceedAfterCancel", path, false, p);
        if (!node.has("cancelWhen")) {
            if (node.has("proceedAfterCancel")) p.add(path + ".proceedAfterCancel", "only means something with cancelWhen, which is missing");
            return;
        }
        flow.cancelWhen(conditions.read(node.get("cancelWhen"), path + ".cancelWhen", p), proceed);
    }
}
