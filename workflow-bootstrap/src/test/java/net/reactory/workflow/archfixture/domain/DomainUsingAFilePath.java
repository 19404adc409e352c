package net.reactory.workflow.archfixture.domain;

import java.nio.file.Path;

/** Violates: domain depends only on java.lang, java.util and java.time (java.nio is the JDK, but I/O). */
public record DomainUsingAFilePath(Path definitionFile) {
}
