package net.reactory.workflow.domain.definition;

import java.util.Map;

/**
 * A workflow as users register it: the Java form of the original runner's {@code IWorkflow}.
 *
 * @param nameSpace with {@code name}, the workflow's id {@code nameSpace.name}
 * @param version   a semantic version such as {@code 1.0.0}
 * @param component declares the steps
 * @param category  free text used to group workflows (the original used "workflow" and "startup")
 * @param autoStart start an instance when the runner initializes
 * @param props     options such as {@code retries}, {@code timeout}, {@code interval}, {@code maxConcurrent}
 * @param inputValidator checks the data of each start; {@link InputValidator#NONE} accepts all
 */
public record Workflow(String nameSpace, String name, String version, WorkflowComponent component,
                       String category, boolean autoStart, Map<String, Object> props, InputValidator inputValidator) {

    public Workflow {
        category = category == null ? "workflow" : category;
        props = props == null ? Map.of() : Map.copyOf(props);
        inputValidator = inputValidator == null ? InputValidator.NONE : inputValidator;
    }

    public Workflow(String nameSpace, String name, String version, WorkflowComponent component,
                    String category, boolean autoStart, Map<String, Object> props) {
        this(nameSpace, name, version, component, category, autoStart, props, InputValidator.NONE);
    }

    public static Workflow of(String nameSpace, String name, String version, WorkflowComponent component) {
        return new Workflow(nameSpace, name, version, component, "workflow", false, Map.of());
    }

    public Workflow withAutoStart(boolean autoStart) {
        return new Workflow(nameSpace, name, version, component, category, autoStart, props, inputValidator);
    }

    public Workflow withCategory(String category) {
        return new Workflow(nameSpace, name, version, component, category, autoStart, props, inputValidator);
    }

    public Workflow withProps(Map<String, Object> props) {
        return new Workflow(nameSpace, name, version, component, category, autoStart, props, inputValidator);
    }

    public Workflow withInputValidator(InputValidator validator) {
        return new Workflow(nameSpace, name, version, component, category, autoStart, props, validator);
    }

    /** {@code nameSpace.name@version}, the form the original's auto-start used. */
    public String key() {
        return nameSpace + "." + name + "@" + version;
    }
}
