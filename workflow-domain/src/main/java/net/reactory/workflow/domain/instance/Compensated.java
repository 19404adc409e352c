package net.reactory.workflow.domain.instance;

/**
 * Given to a container step as its persisted state when one of its branches failed and ran its
 * compensations: the container decides what follows (a saga goes on or fails, others fail).
 */
public record Compensated(StepError cause) {
}
