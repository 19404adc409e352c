package net.reactory.workflow.archfixture.domain;

/** Breaks nothing: the other fixtures may depend on it. */
public record CleanDomain(String name) {
}
