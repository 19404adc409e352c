package net.reactory.workflow.bootstrap.definitions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import net.reactory.workflow.domain.definition.ErrorBehaviour;
import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.definition.InvalidWorkflowException;
import net.reactory.workflow.domain.definition.SemanticVersion;
import net.reactory.workflow.domain.step.StepBody;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.language.WorkflowBuilder;
import net.reactory.workflow.domain.definition.WorkflowDefinition;

/**
 * Reads workflow definitions written in JSON: a driving adapter, so the application stays free of Jackson.
 * A definition compiles through {@link WorkflowBuilder} into the same step graph a Java definition has, so
 * the two run alike. Workflow data is a {@code Map<String, Object>}; steps return changed copies.
 *
 * <pre>{@code
 * {"nameSpace": "shop", "name": "Order", "version": "1.0.0",
 *  "steps": [
 *    {"name": "hello", "type": "log", "params": {"message": "order ${orderId}"}},
 *    {"name": "paid",  "type": "wait-for-event", "event": "order.paid", "key": "${orderId}", "into": "payment"},
 *    {"name": "cool",  "type": "delay", "duration": "PT5M"},
 *    {"name": "done",  "type": "set-data", "values": {"status": "paid"}}]}
 * }</pre>
 *
 * Every problem found is reported, each with the file, the path in the document ({@code $.steps[2].duration})
 * and what is wrong; {@link #readDirectory} loads the good files of a folder and lists the bad ones.
 */
public final class DefinitionReader {

    /** Step types the reader builds itself; registered types may not take these names. */
    static final Set<String> RESERVED = Set.of("delay", "wait-for-event", "publish-event", "set-data", "decide", "foreach",
            "parallel", "saga", "child", "end");
    private static final Set<String> TOP = Set.of("nameSpace", "name", "version", "category", "autoStart", "props", "steps", "description");
    private static final Set<String> COMMON = Set.of("name", "type", "onError", "maxAttempts", "compensateWith", "description");
    private static final Map<String, Set<String>> FIELDS = Map.ofEntries(
            Map.entry("delay", Set.of("duration")),
            Map.entry("wait-for-event", Set.of("event", "key", "into")),
            Map.entry("publish-event", Set.of("event", "key", "data")),
            Map.entry("set-data", Set.of("values")),
            Map.entry("decide", Set.of("on", "branches")),
            Map.entry("foreach", Set.of("items", "parallelism", "steps")),
            Map.entry("parallel", Set.of("branches")),
            Map.entry("saga", Set.of("steps", "continueAfterCompensation")),
            Map.entry("child", Set.of("workflow", "version", "input", "into")),
            Map.entry("end", Set.of()));

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final Class<Map<String, Object>> DATA = (Class) Map.class;

    private final StepTypes types;
    private final EventPublisher publisher;
    private final ObjectMapper mapper = JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    /** @param publisher where {@code publish-event} steps publish; the daemon passes the runner's publishEvent */
    public DefinitionReader(StepTypes types, EventPublisher publisher) {
        this.types = Objects.requireNonNull(types, "types");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
    }

    /** The workflows of the good files of {@code directory} (every {@code *.json}, by name), and what was wrong with the others. */
    public record Loaded(List<Workflow> workflows, List<DefinitionException> failures) {
    }

    public Loaded readDirectory(Path directory) {
        List<Workflow> workflows = new ArrayList<>();
        List<DefinitionException> failures = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            failures.add(new DefinitionException(directory.toString(), List.of("$: not a readable folder")));
            return new Loaded(workflows, failures);
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(directory)) {
            files = list.filter(f -> f.getFileName().toString().endsWith(".json") && Files.isRegularFile(f)).sorted().toList();
        } catch (IOException e) {
            failures.add(new DefinitionException(directory.toString(), List.of("$: cannot list the folder: " + e.getMessage())));
            return new Loaded(workflows, failures);
        }
        Map<String, Path> seen = new HashMap<>();
        for (Path file : files) {
            try {
                Workflow w = read(file);
                Path first = seen.putIfAbsent(w.key(), file);
                if (first != null) {
                    throw new DefinitionException(file.toString(), List.of("$: " + w.key() + " is defined already by " + first));
                }
                workflows.add(w);
            } catch (DefinitionException e) {
                failures.add(e);
            }
        }
        return new Loaded(List.copyOf(workflows), List.copyOf(failures));
    }

    public Workflow read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DefinitionException(file.toString(), List.of("$: cannot read the file: " + e));
        }
        return read(file.toString(), text);
    }

    /** Reads one definition; {@code source} names it in errors. */
    public Workflow read(String source, String json) {
        JsonNode root;
        try {
            root = json == null || json.isBlank() ? null : mapper.readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "$" : "line " + at.getLineNr() + ", column " + at.getColumnNr();
            String why = e.getOriginalMessage().replaceAll("\\[Source: [^;\\]]*; ", "[");
            throw new DefinitionException(source, List.of(where + ": not valid JSON: " + why));
        }
        if (root == null || root.isMissingNode()) throw new DefinitionException(source, List.of("$: the document is empty"));
        Problems problems = new Problems();
        Workflow workflow = workflow(root, problems);
        if (problems.isEmpty()) {
            try {
                WorkflowDefinition.compile(workflow);
            } catch (InvalidWorkflowException e) {
                e.problems().forEach(p -> problems.add("$", p));
            }
        }
        if (!problems.isEmpty()) throw new DefinitionException(source, problems.list);
        return workflow;
    }

    // ------------------------------------------------------------------ the document

    private Workflow workflow(JsonNode root, Problems p) {
        if (!root.isObject()) {
            p.add("$", "expected an object with nameSpace, name, version and steps, found " + kind(root));
            return null;
        }
        unknownFields(root, "$", TOP, p);
        String nameSpace = text(root, "nameSpace", "$", true, p);
        String name = text(root, "name", "$", true, p);
        String version = text(root, "version", "$", true, p);
        if (version != null && !SemanticVersion.isValid(version)) {
            p.add("$.version", "'" + version + "' is not a semantic version (expected MAJOR.MINOR.PATCH such as 1.0.0)");
        }
        String category = text(root, "category", "$", false, p);
        boolean autoStart = bool(root, "autoStart", "$", false, p);
        Map<String, Object> props = Map.of();
        JsonNode propsNode = root.get("props");
        if (propsNode != null) {
            if (propsNode.isObject()) props = value(propsNode);
            else p.add("$.props", "expected an object, found " + kind(propsNode));
        }
        WorkflowBuilder<Map<String, Object>> flow = WorkflowBuilder.define(nameSpace, name, version, DATA);
        JsonNode steps = root.get("steps");
        if (steps == null) p.add("$.steps", "missing: a workflow needs at least one step");
        else steps(flow, steps, "$.steps", new HashMap<>(), p);
        if (!p.isEmpty()) return null;
        return flow.category(category == null ? "workflow" : category).autoStart(autoStart).props(props).build();
    }

    private void steps(WorkflowBuilder<Map<String, Object>> flow, JsonNode steps, String path, Map<String, String> names, Problems p) {
        if (!steps.isArray()) {
            p.add(path, "expected an array of steps, found " + kind(steps));
            return;
        }
        if (steps.isEmpty()) p.add(path, "has no steps");
        for (int i = 0; i < steps.size(); i++) step(flow, steps.get(i), path + "[" + i + "]", names, p);
    }

    private Consumer<WorkflowBuilder<Map<String, Object>>> block(JsonNode steps, String path, Map<String, String> names, Problems p) {
        if (steps == null) {
            p.add(path, "missing");
            return f -> { };
        }
        // Checked now, once, so problems are reported in document order; then replayed on the block's own builder.
        steps(WorkflowBuilder.define("probe", "probe", "1.0.0", DATA), steps, path, names, p);
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
        Set<String> allowed = new java.util.HashSet<>(COMMON);
        StepType registered = null;
        if (RESERVED.contains(type)) {
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
        switch (type) {
            case "delay" -> {
                Duration d = duration(node, "duration", path, p);
                if (d != null) flow.delay(name, d);
            }
            case "wait-for-event" -> {
                String event = text(node, "event", path, true, p);
                String key = text(node, "key", path, true, p);
                String into = text(node, "into", path, false, p);
                if (event != null && key != null) {
                    flow.waitFor(name, event, data -> String.valueOf(Templates.resolveValue(key, data)),
                            (data, received) -> into == null ? data : Templates.with(data, into, received));
                }
            }
            case "publish-event" -> {
                String event = text(node, "event", path, true, p);
                String key = text(node, "key", path, true, p);
                Object payload = node.has("data") ? value(node.get("data")) : null;
                if (event != null && key != null) {
                    flow.step(name, ctx -> {
                        publisher.publish(ctx.executionId(), event, String.valueOf(Templates.resolveValue(key, ctx.data())),
                                Templates.resolveValue(payload, ctx.data()));
                        return ExecutionResult.next();
                    });
                }
            }
            case "set-data" -> {
                JsonNode values = node.get("values");
                if (values == null || !values.isObject()) {
                    p.add(path + ".values", values == null ? "missing: the fields to set" : "expected an object, found " + kind(values));
                } else {
                    Map<String, Object> set = value(values);
                    flow.then(name, data -> {
                        Map<String, Object> out = Templates.copy(data);
                        set.forEach((k, v) -> out.put(k, Templates.resolveValue(v, data)));
                        return out;
                    });
                }
            }
            case "decide" -> {
                String on = text(node, "on", path, true, p);
                JsonNode branches = node.get("branches");
                if (branches == null || !branches.isObject()) {
                    p.add(path + ".branches", branches == null ? "missing: an object of value to steps" : "expected an object, found " + kind(branches));
                    return;
                }
                Map<String, Consumer<WorkflowBuilder<Map<String, Object>>>> blocks = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = branches.fields(); it.hasNext(); ) {
                    var e = it.next();
                    blocks.put(e.getKey(), block(e.getValue(), path + ".branches." + e.getKey(), names, p));
                }
                if (on != null) {
                    flow.decide(name, data -> String.valueOf(Templates.field(data, on)), d -> blocks.forEach(d::when));
                }
            }
            case "foreach" -> {
                String items = text(node, "items", path, true, p);
                int parallelism = integer(node, "parallelism", path, 1, 0, p);
                var body = block(node.get("steps"), path + ".steps", names, p);
                if (items != null) {
                    flow.forEach(name, data -> {
                        Object list = Templates.field(data, items);
                        return list instanceof List<?> l ? l : List.of();
                    }, parallelism, body);
                }
            }
            case "parallel" -> {
                JsonNode branches = node.get("branches");
                if (branches == null || !branches.isArray() || branches.size() < 2) {
                    p.add(path + ".branches", "expected an array of at least two arrays of steps");
                    return;
                }
                List<Consumer<WorkflowBuilder<Map<String, Object>>>> blocks = new ArrayList<>();
                for (int i = 0; i < branches.size(); i++) blocks.add(block(branches.get(i), path + ".branches[" + i + "]", names, p));
                @SuppressWarnings("unchecked")
                Consumer<WorkflowBuilder<Map<String, Object>>>[] array = blocks.toArray(Consumer[]::new);
                flow.parallel(name, array);
            }
            case "saga" -> {
                boolean goOn = bool(node, "continueAfterCompensation", path, false, p);
                flow.saga(name, block(node.get("steps"), path + ".steps", names, p), goOn);
            }
            case "child" -> {
                String workflowId = text(node, "workflow", path, true, p);
                String version = text(node, "version", path, false, p);
                String input = text(node, "input", path, false, p);
                String into = text(node, "into", path, false, p);
                if (version != null && !SemanticVersion.isValid(version)) p.add(path + ".version", "'" + version + "' is not a semantic version");
                if (workflowId != null) {
                    flow.child(name, workflowId, version, data -> input == null ? data : Templates.field(data, input),
                            (data, result) -> into == null ? data : Templates.with(data, into, result));
                }
            }
            case "end" -> flow.step(name, ctx -> ExecutionResult.next()).end();
            default -> {
                JsonNode paramsNode = node.get("params");
                Map<String, Object> params = Map.of();
                if (paramsNode != null) {
                    if (paramsNode.isObject()) params = value(paramsNode);
                    else p.add(path + ".params", "expected an object, found " + kind(paramsNode));
                }
                try {
                    StepBody body = registered.create(params);
                    if (body == null) p.add(path + ".params", "step type '" + type + "' made no step from these parameters");
                    else flow.step(name, body);
                } catch (RuntimeException e) {
                    p.add(path + ".params", e.getMessage() == null ? e.toString() : e.getMessage());
                }
            }
        }
        settings(flow, node, path, names, p);
    }

    /** onError, maxAttempts and compensateWith of the step just added. */
    private void settings(WorkflowBuilder<Map<String, Object>> flow, JsonNode node, String path, Map<String, String> names, Problems p) {
        String onError = text(node, "onError", path, false, p);
        if (onError != null) {
            try {
                flow.onError(ErrorBehaviour.valueOf(onError.trim().toUpperCase(java.util.Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                p.add(path + ".onError", "'" + onError + "' is not one of fail, suspend, terminate, compensate");
            }
        }
        if (node.has("maxAttempts")) flow.maxAttempts(integer(node, "maxAttempts", path, 1, 1, p));
        if (node.has("compensateWith")) flow.compensateWith(block(node.get("compensateWith"), path + ".compensateWith", names, p));
    }

    // ------------------------------------------------------------------ fields

    private static void unknownFields(JsonNode node, String path, Set<String> allowed, Problems p) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!allowed.contains(field)) {
                p.add(path + "." + field, "unknown field (allowed here: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
        }
    }

    private static String text(JsonNode node, String field, String path, boolean required, Problems p) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) p.add(path + "." + field, "missing");
            return null;
        }
        if (!v.isTextual()) {
            p.add(path + "." + field, "expected a text, found " + kind(v));
            return null;
        }
        if (required && v.asText().isBlank()) {
            p.add(path + "." + field, "must not be blank");
            return null;
        }
        return v.asText();
    }

    private static boolean bool(JsonNode node, String field, String path, boolean fallback, Problems p) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return fallback;
        if (!v.isBoolean()) {
            p.add(path + "." + field, "expected true or false, found " + kind(v));
            return fallback;
        }
        return v.asBoolean();
    }

    private static int integer(JsonNode node, String field, String path, int fallback, int min, Problems p) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return fallback;
        if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > Integer.MAX_VALUE) {
            p.add(path + "." + field, "expected a whole number of at least " + min + ", found " + v);
            return fallback;
        }
        return v.asInt();
    }

    /** ISO-8601 ({@code PT5M}) or milliseconds. */
    private static Duration duration(JsonNode node, String field, String path, Problems p) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            p.add(path + "." + field, "missing: ISO-8601 such as PT5M, or milliseconds");
            return null;
        }
        try {
            Duration d = v.isIntegralNumber() ? Duration.ofMillis(v.asLong()) : v.isTextual() ? Duration.parse(v.asText().trim()) : null;
            if (d == null || d.isNegative()) throw new DateTimeParseException("", "", 0);
            return d;
        } catch (DateTimeParseException e) {
            p.add(path + "." + field, v + " is not a duration (ISO-8601 such as PT5M, or milliseconds, not negative)");
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private <T> T value(JsonNode node) {
        return (T) mapper.convertValue(node, Object.class);
    }

    private static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static final class Problems {
        final List<String> list = new ArrayList<>();

        void add(String path, String problem) {
            list.add(path + ": " + problem);
        }

        boolean isEmpty() {
            return list.isEmpty();
        }
    }
}
