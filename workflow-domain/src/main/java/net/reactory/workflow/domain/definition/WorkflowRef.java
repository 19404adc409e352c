package net.reactory.workflow.domain.definition;

/**
 * What a caller names when starting a workflow: {@code nameSpace.name}, optionally with
 * {@code @version} (the form the original runner's auto-start used). A null version means "newest".
 */
public record WorkflowRef(WorkflowId id, SemanticVersion version) {

    public static WorkflowRef parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("workflow id is missing (expected nameSpace.name or nameSpace.name@1.0.0)");
        }
        int at = text.indexOf('@');
        if (at < 0) {
            return new WorkflowRef(WorkflowId.parse(text), null);
        }
        return new WorkflowRef(WorkflowId.parse(text.substring(0, at)), SemanticVersion.parse(text.substring(at + 1)));
    }

    /** Combines an id that may carry {@code @version} with a separately given version; they must agree. */
    public static WorkflowRef of(String id, String version) {
        WorkflowRef ref = parse(id);
        if (version == null || version.isBlank()) {
            return ref;
        }
        SemanticVersion given = SemanticVersion.parse(version);
        if (ref.version != null && !ref.version.equals(given)) {
            throw new IllegalArgumentException("workflow id '" + id + "' names version " + ref.version + " but version " + given + " was asked for");
        }
        return new WorkflowRef(ref.id, given);
    }

    @Override
    public String toString() {
        return version == null ? id.toString() : id + "@" + version;
    }
}
