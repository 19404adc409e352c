package net.reactory.workflow.definitions;

import java.util.List;

/** A JSON definition that cannot be read; every problem names the file, the path in the document and what is wrong. */
public final class DefinitionException extends RuntimeException {

    private final String source;
    private final List<String> problems;

    public DefinitionException(String source, List<String> problems) {
        super(source + ": " + String.join("; ", problems));
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    /** The file (or other source) the definition came from. */
    public String source() {
        return source;
    }

    /** Each as {@code <path>: <problem>}, such as {@code $.steps[2].duration: 'soon' is not a duration}. */
    public List<String> problems() {
        return problems;
    }
}
