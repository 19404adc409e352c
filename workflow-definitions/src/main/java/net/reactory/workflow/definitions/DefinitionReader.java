package net.reactory.workflow.definitions;

import static net.reactory.workflow.definitions.JsonFields.bool;
import static net.reactory.workflow.definitions.JsonFields.kind;
import static net.reactory.workflow.definitions.JsonFields.text;
import static net.reactory.workflow.definitions.JsonFields.unknownFields;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import net.reactory.workflow.domain.definition.InvalidWorkflowException;
import net.reactory.workflow.domain.definition.SemanticVersion;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.language.WorkflowBuilder;
import net.reactory.workflow.domain.definition.WorkflowDefinition;

/**
 * Reads workflow definitions written in JSON or YAML: a driving adapter, so the application stays free of Jackson.
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
    static final Set<String> RESERVED = Set.of("delay", "wait-for-event", "publish-event", "set-data", "decide", "if", "while",
            "foreach", "parallel", "schedule", "recur", "saga", "child", "end");
    private static final Set<String> TOP = Set.of("nameSpace", "name", "version", "category", "autoStart", "props", "steps", "description");

    /** Workflow data of a JSON definition: a map, which steps copy before they change it. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static final Class<Map<String, Object>> DATA = (Class) Map.class;

    /** Where SnakeYAML's message names a place: {@code in 'reader', line 3, column 8:}, the line quoted, a caret under the column. */
    private static final Pattern YAML_MARK = Pattern.compile("\\s*in 'reader', line (\\d+), column (\\d+):\\R[^\\n]*\\R[ \\t]*\\^");

    private final ObjectMapper mapper = JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
    private final ObjectMapper yaml = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
    private final StepReader stepReader;

    /** @param publisher where {@code publish-event} steps publish; the daemon passes the runner's publishEvent */
    public DefinitionReader(StepTypes types, EventPublisher publisher) {
        this.stepReader = new StepReader(Objects.requireNonNull(types, "types"), Objects.requireNonNull(publisher, "publisher"), mapper);
    }

    /** The workflows of the good files of {@code directory} (every {@code *.json}, {@code *.yaml} and {@code *.yml}, by name), and what was wrong with the others. */
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
            files = list.filter(f -> isDefinition(f) && Files.isRegularFile(f)).sorted().toList();
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

    private static boolean isDefinition(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".json") || isYaml(file);
    }

    private static boolean isYaml(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".yaml") || name.endsWith(".yml");
    }

    /** Reads one file: YAML when it ends in {@code .yaml} or {@code .yml}, JSON otherwise. */
    public Workflow read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DefinitionException(file.toString(), List.of("$: cannot read the file: " + e));
        }
        return isYaml(file) ? readYaml(file.toString(), text) : read(file.toString(), text);
    }

    /** Reads one JSON definition; {@code source} names it in errors. */
    public Workflow read(String source, String json) {
        return read(source, json, mapper, "JSON");
    }

    /**
     * Reads one YAML definition: the same document as JSON, written as YAML, with the same errors (paths such as
     * {@code $.steps[2].duration}, and line and column when the YAML itself is broken); {@code source} names it in errors.
     */
    public Workflow readYaml(String source, String yamlText) {
        return read(source, yamlText, yaml, "YAML");
    }

    private Workflow read(String source, String text, ObjectMapper format, String formatName) {
        JsonNode root;
        try {
            root = text == null || text.isBlank() ? null : format.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "$" : "line " + at.getLineNr() + ", column " + at.getColumnNr();
            String why = e.getOriginalMessage().replaceAll("\\[Source: [^;\\]]*; ", "[").strip();
            if (format == yaml) {
                // SnakeYAML's message spans lines, each place it names followed by a quote of the line and a caret.
                List<String[]> marks = YAML_MARK.matcher(why).results().map(r -> new String[] {r.group(1), r.group(2)}).toList();
                if (!marks.isEmpty()) {
                    String[] last = marks.get(marks.size() - 1);
                    where = "line " + last[0] + ", column " + last[1];
                    why = YAML_MARK.matcher(why).replaceAll(r -> " (line " + r.group(1) + ", column " + r.group(2) + ");");
                    why = why.replaceAll("\\s+", " ").replaceAll(" \\(line " + last[0] + ", column " + last[1] + "\\);$", "").strip();
                }
            }
            throw new DefinitionException(source, List.of(where + ": not valid " + formatName + ": " + why));
        }
        if (root == null || root.isMissingNode() || root.isNull()) throw new DefinitionException(source, List.of("$: the document is empty"));
        Problems problems = new Problems();
        Workflow workflow = workflow(root, problems);
        if (problems.isEmpty()) {
            try {
                WorkflowDefinition.compile(workflow);
            } catch (InvalidWorkflowException e) {
                e.problems().forEach(p -> problems.add("$", p));
            }
        }
        if (!problems.isEmpty()) throw new DefinitionException(source, problems.list());
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
            if (propsNode.isObject()) props = JsonFields.value(mapper, propsNode);
            else p.add("$.props", "expected an object, found " + kind(propsNode));
        }
        WorkflowBuilder<Map<String, Object>> flow = WorkflowBuilder.define(nameSpace, name, version, DATA);
        JsonNode steps = root.get("steps");
        if (steps == null) p.add("$.steps", "missing: a workflow needs at least one step");
        else stepReader.steps(flow, steps, "$.steps", new HashMap<>(), p);
        if (!p.isEmpty()) return null;
        Workflow built = flow.category(category == null ? "workflow" : category).autoStart(autoStart).props(props).build();
        return new Workflow(built.nameSpace(), built.name(), built.version(), built.component(), built.category(), built.autoStart(),
                built.props(), DefinitionReader::objectData);
    }

    /** A JSON definition's steps read the data as an object: any other start is refused before anything is stored. */
    static List<String> objectData(Object data) {
        if (data == null || data instanceof Map<?, ?>) return List.of();
        String kind = data instanceof String ? "a string" : data instanceof Number ? "a number" : data instanceof Boolean ? "a boolean"
                : data instanceof List<?> ? "an array" : "a " + data.getClass().getSimpleName();
        return List.of("data must be a JSON object for a JSON definition, not " + kind);
    }
}
