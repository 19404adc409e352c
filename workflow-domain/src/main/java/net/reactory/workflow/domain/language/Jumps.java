package net.reactory.workflow.domain.language;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the {@code goTo}s of a typed flow: a jump may go anywhere within its block, or from a decide, if or
 * while block into the flow around it (those blocks run on the flow's own pointers), but never into or out of
 * a container's block (foreach, parallel, saga, schedule, recur): a branch of a container runs in the
 * container's scope, and a step outside it would never end the branch. Unknown targets are left to
 * {@link StepsBuilder}, which reports them.
 */
final class Jumps {

    private Jumps() {
    }

    /** The jumps of {@code top} that leave or enter a container's block, as problems. */
    static <D> List<String> problems(WorkflowBuilder<D> top) {
        Map<String, Integer> scopeOf = new HashMap<>();
        Map<String, String> jumps = new HashMap<>();
        record(top, 0, new int[] {0}, scopeOf, jumps);
        List<String> found = new ArrayList<>();
        jumps.forEach((from, to) -> {
            Integer source = scopeOf.get(from);
            Integer target = scopeOf.get(to);
            if (source != null && target != null && !source.equals(target)) {
                found.add("step '" + from + "' goes to '" + to + "', which is in another block: a jump cannot enter or leave a foreach, parallel, saga, schedule or recur");
            }
        });
        return found;
    }

    private static <D> void record(WorkflowBuilder<D> flow, int scope, int[] scopes, Map<String, Integer> scopeOf, Map<String, String> jumps) {
        for (FlowNode<D> node : flow.nodes()) {
            scopeOf.putIfAbsent(node.name, scope);
            if (node.goTo != null) jumps.put(node.name, node.goTo);
            if (node instanceof FlowNode.Decide<D> decide) {
                for (List<WorkflowBuilder<D>> branches : decide.branches.values()) {
                    // Several branches for one value run side by side inside a generated parallel step: each is its own block.
                    if (branches.size() == 1) record(branches.get(0), scope, scopes, scopeOf, jumps);
                    else for (WorkflowBuilder<D> branch : branches) record(branch, ++scopes[0], scopes, scopeOf, jumps);
                }
            } else if (node instanceof FlowNode.While<D> loop) {
                record(loop.loop, scope, scopes, scopeOf, jumps);
            } else if (node instanceof FlowNode.Container<D> container) {
                for (WorkflowBuilder<D> block : container.blocks) record(block, ++scopes[0], scopes, scopeOf, jumps);
            }
        }
    }
}
