package net.reactory.workflow.application.port.in;

import java.util.List;

import net.reactory.workflow.domain.definition.Workflow;

/**
 * A snapshot of the runner, as the original's {@code getState()} returned.
 *
 * @param nodeId        this runner node's lease owner id
 * @param workflows     every registered workflow, in registration order
 * @param running       instances this node is executing now
 */
public record RunnerState(boolean initialized, String nodeId, List<Workflow> workflows, int running) {

    public RunnerState {
        workflows = List.copyOf(workflows);
    }
}
