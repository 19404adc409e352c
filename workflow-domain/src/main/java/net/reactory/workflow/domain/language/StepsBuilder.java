package net.reactory.workflow.domain.language;

import net.reactory.workflow.domain.definition.StepKind;


import net.reactory.workflow.domain.definition.CancelCondition;
import net.reactory.workflow.domain.definition.ErrorBehaviour;
import net.reactory.workflow.domain.definition.RetrySpec;
import net.reactory.workflow.domain.definition.StepDefinition;
import net.reactory.workflow.domain.definition.StepPolicy;
import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.step.StepBody;


import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Declares a step graph by name. {@code startWith} and {@code then} chain steps in order;
 * {@code step} begins a chain that is reached only through an outcome or a {@code goTo};
 * {@code onOutcome} and {@code goTo} name their targets, so they may point forwards or backwards.
 * {@code children}, {@code compensateWith} and {@code detached} declare containers (foreach, parallel, saga, schedule)
 * and compensations; the typed {@link WorkflowBuilder} writes those for you.
 * Mistakes are not thrown here: {@link #build} reports all of them at once.
 */
public final class StepsBuilder {

    private static final int MAX_ATTEMPTS_UNSET = 0;

    private final List<Draft> drafts = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private Draft last;

    private static final class Draft {
        final String name;
        final StepBody body;
        String next;
        boolean ends;
        final Map<Object, List<String>> outcomes = new LinkedHashMap<>();
        ErrorBehaviour onError = ErrorBehaviour.FAIL;
        int maxAttempts = MAX_ATTEMPTS_UNSET;
        final List<String> children = new ArrayList<>();
        String compensation;
        boolean detached;
        StepPolicy policy = StepPolicy.NONE;
        StepKind kind = StepKind.TASK;

        Draft(String name, StepBody body) {
            this.name = name;
            this.body = body;
        }
    }

    public StepsBuilder startWith(String name, StepBody body) {
        if (!drafts.isEmpty()) {
            problems.add("startWith must be the first step, but '" + name + "' follows '" + drafts.get(drafts.size() - 1).name + "'");
        }
        return add(name, body);
    }

    public StepsBuilder then(String name, StepBody body) {
        if (last == null) {
            problems.add("then('" + name + "') has no step before it: begin with startWith");
        } else if (last.next == null && !last.ends) {
            last.next = name;
        }
        return add(name, body);
    }

    /** A step not linked from the previous one: reached by {@link #onOutcome} or {@link #goTo}. */
    public StepsBuilder step(String name, StepBody body) {
        return add(name, body);
    }

    /**
     * When the last step returns outcome {@code value}, continue at {@code target}. Several targets for one value
     * all start, side by side (workflow-core's semantics), each going on where its own chain goes; they run as the
     * branches of a parallel step named {@code step [value]}, added for them.
     */
    public StepsBuilder onOutcome(Object value, String target) {
        if (requireLast("onOutcome")) {
            List<String> targets = last.outcomes.computeIfAbsent(value, v -> new ArrayList<>());
            if (value == null) {
                problems.add("step '" + last.name + "' branches on the outcome null, which can never be chosen: null means no outcome");
            } else if (targets.contains(target)) {
                problems.add("step '" + last.name + "' branches to '" + target + "' twice on outcome '" + value + "'");
            } else {
                targets.add(target);
            }
        }
        return this;
    }

    /** The name of the parallel step that runs the branches of {@code step}'s outcome {@code value} side by side. */
    static String sideBySideName(String step, Object value) {
        return step + " [" + value + "]";
    }

    /** The last step continues at {@code target} (a loop when the target comes earlier). */
    public StepsBuilder goTo(String target) {
        if (requireLast("goTo")) {
            last.next = target;
        }
        return this;
    }

    /** The workflow ends after the last step, even if more steps are chained after it. */
    public StepsBuilder end() {
        if (requireLast("end")) {
            last.ends = true;
            last.next = null;
        }
        return this;
    }

    public StepsBuilder onError(ErrorBehaviour behaviour) {
        if (requireLast("onError")) last.onError = behaviour;
        return this;
    }

    /** Attempts of the last step before its error behaviour applies (1: no retry). */
    public StepsBuilder maxAttempts(int attempts) {
        if (requireLast("maxAttempts")) {
            if (attempts < 1) problems.add("step '" + last.name + "' asks for " + attempts + " attempts: at least 1 is needed");
            else last.maxAttempts = attempts;
        }
        return this;
    }

    /** How the last step's failed attempts are retried: backoff, jitter, which errors. */
    public StepsBuilder retry(RetrySpec spec) {
        if (requireLast("retry")) {
            if (spec == null) problems.add("step '" + last.name + "' has a null retry spec");
            else last.policy = last.policy.withRetry(spec);
        }
        return this;
    }

    /** An attempt of the last step running longer than {@code timeout} is interrupted and counts as failed. */
    public StepsBuilder timeout(java.time.Duration timeout) {
        if (requireLast("timeout")) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                problems.add("step '" + last.name + "' asks for timeout " + timeout + ": it must be positive");
            } else {
                last.policy = last.policy.withTimeout(timeout);
            }
        }
        return this;
    }

    /** The external dependencies the last step calls, each guarded by its own circuit breaker. */
    public StepsBuilder dependsOn(String... dependencies) {
        if (requireLast("dependsOn")) {
            List<String> all = new ArrayList<>(last.policy.dependencies());
            for (String d : dependencies) {
                if (d == null || d.isBlank()) problems.add("step '" + last.name + "' names a blank dependency");
                else if (!all.contains(d)) all.add(d);
            }
            last.policy = last.policy.withDependencies(all);
        }
        return this;
    }

    /**
     * The last step is given up, with its branches, once {@code condition} holds on the data, re-checked after every step
     * result while it waits, sleeps or runs branches; with {@code proceed} the flow then goes on after it, otherwise its
     * branch ends there (workflow-core's {@code CancelCondition}).
     */
    public StepsBuilder cancelWhen(java.util.function.Predicate<Object> condition, boolean proceed) {
        if (requireLast("cancelWhen")) {
            if (condition == null) problems.add("step '" + last.name + "' has a null cancel condition");
            else if (last.policy.cancel() != null) problems.add("step '" + last.name + "' has two cancel conditions");
            else last.policy = last.policy.withCancel(new CancelCondition(condition, proceed));
        }
        return this;
    }

    /**
     * Makes the last step a container whose branches begin at the named steps: with one, it runs once per value of
     * the step's {@link ExecutionResult.Branch} (foreach, while, saga); with several, each runs once (parallel).
     * A branch ends where its chain ends; then the container runs again.
     */
    public StepsBuilder children(String... firstSteps) {
        if (requireLast("children")) {
            for (String first : firstSteps) last.children.add(first);
        }
        return this;
    }

    /** In a saga, the chain beginning at {@code firstStep} undoes the last step once it has completed. */
    public StepsBuilder compensateWith(String firstStep) {
        if (requireLast("compensateWith")) {
            if (last.compensation != null) problems.add("step '" + last.name + "' has two compensations");
            last.compensation = firstStep;
        }
        return this;
    }

    /** The last step, a container, runs in the background: the flow goes on to its successor at once (schedule, recur). */
    public StepsBuilder detached() {
        if (requireLast("detached")) last.detached = true;
        return this;
    }

    /** What the last step is in the flow (decide, foreach...), for showing the definition; {@link StepKind#TASK} unless said. */
    public StepsBuilder kind(StepKind kind) {
        if (requireLast("kind") && kind != null) last.kind = kind;
        return this;
    }

    /** Makes the named step, declared earlier, the one the next {@code goTo}, {@code onOutcome} or {@code onError} applies to. */
    public StepsBuilder atStep(String name) {
        for (Draft d : drafts) {
            if (d.name.equals(name)) {
                last = d;
                return this;
            }
        }
        problems.add("atStep('" + name + "') names no step declared before it");
        return this;
    }

    /** Records a mistake found by whoever declares the steps; {@link #build} reports it with the others. */
    public StepsBuilder problem(String problem) {
        problems.add(problem);
        return this;
    }

    private boolean requireLast(String what) {
        if (last == null) {
            problems.add(what + " has no step before it");
            return false;
        }
        return true;
    }

    private StepsBuilder add(String name, StepBody body) {
        if (name == null || name.isBlank()) {
            problems.add("step #" + (drafts.size() + 1) + " has no name");
            name = "#" + (drafts.size() + 1);
        }
        if (body == null) {
            problems.add("step '" + name + "' has no body");
        }
        Draft draft = new Draft(name, body);
        drafts.add(draft);
        last = draft;
        return this;
    }

    /** The steps, or the problems found; {@code defaultMaxAttempts} applies where a step set none. */
    public Result build(int defaultMaxAttempts) {
        List<String> found = new ArrayList<>(problems);
        List<Draft> drafts = withSideBySideSteps(this.drafts);
        if (drafts.isEmpty()) {
            found.add("the workflow has no steps");
            return new Result(List.of(), found);
        }
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (Draft d : drafts) {
            if (ids.putIfAbsent(d.name, ids.size()) != null) {
                found.add("step name '" + d.name + "' is used twice");
            }
        }
        List<StepDefinition> steps = new ArrayList<>();
        for (int i = 0; i < drafts.size(); i++) {
            Draft d = drafts.get(i);
            int next = StepDefinition.NONE;
            if (d.next != null) {
                Integer target = ids.get(d.next);
                if (target == null) found.add("step '" + d.name + "' continues at unknown step '" + d.next + "'");
                else next = target;
            }
            Map<Object, Integer> outcomes = new LinkedHashMap<>();
            for (var e : d.outcomes.entrySet()) {
                if (e.getKey() == null || e.getValue().isEmpty()) continue;
                String name = e.getValue().size() == 1 ? e.getValue().get(0) : sideBySideName(d.name, e.getKey());
                Integer target = ids.get(name);
                if (target == null) found.add("step '" + d.name + "' branches on outcome '" + e.getKey() + "' to unknown step '" + name + "'");
                else outcomes.put(e.getKey(), target);
            }
            List<Integer> children = new ArrayList<>(d.children.size());
            for (String child : d.children) {
                Integer target = ids.get(child);
                if (target == null) found.add("step '" + d.name + "' has a branch beginning at unknown step '" + child + "'");
                else children.add(target);
            }
            int compensation = StepDefinition.NONE;
            if (d.compensation != null) {
                Integer target = ids.get(d.compensation);
                if (target == null) found.add("step '" + d.name + "' is compensated by unknown step '" + d.compensation + "'");
                else compensation = target;
            }
            if (d.detached && d.children.isEmpty()) found.add("step '" + d.name + "' runs in the background but has no branch");
            int attempts = d.maxAttempts == MAX_ATTEMPTS_UNSET ? Math.max(1, defaultMaxAttempts) : d.maxAttempts;
            StepBody body = d.body != null ? d.body : ctx -> ExecutionResult.fail("MissingBody", "step has no body");
            steps.add(new StepDefinition(i, d.name, body, next, outcomes, d.onError, attempts, d.policy, children, compensation,
                    d.detached, d.kind));
        }
        found.addAll(unreachable(steps));
        if (found.isEmpty()) found.addAll(compensationsThatNeverRun(steps));
        return new Result(List.copyOf(steps), List.copyOf(found));
    }

    /**
     * The drafts, where an outcome with several targets leads to a parallel step (added after the others, body from
     * {@link ControlFlowBodies#sideBySide}) whose branches begin at those targets. The declared drafts are not changed.
     */
    private static List<Draft> withSideBySideSteps(List<Draft> declared) {
        List<Draft> all = new ArrayList<>(declared);
        for (Draft d : declared) {
            for (var e : d.outcomes.entrySet()) {
                if (e.getValue().size() < 2) continue;
                Draft together = new Draft(sideBySideName(d.name, e.getKey()), ControlFlowBodies.sideBySide(sideBySideName(d.name, e.getKey())));
                together.onError = d.onError;
                together.children.addAll(e.getValue());
                all.add(together);
            }
        }
        return all;
    }

    private static List<String> unreachable(List<StepDefinition> steps) {
        boolean[] seen = new boolean[steps.size()];
        ArrayList<Integer> todo = new ArrayList<>(List.of(0));
        while (!todo.isEmpty()) {
            int id = todo.remove(todo.size() - 1);
            if (id == StepDefinition.NONE || seen[id]) continue;
            seen[id] = true;
            StepDefinition s = steps.get(id);
            todo.add(s.next());
            todo.addAll(s.outcomes().values());
            todo.addAll(s.children());
            todo.add(s.compensation());
        }
        List<String> found = new ArrayList<>();
        for (StepDefinition s : steps) {
            if (!seen[s.id()]) found.add("step '" + s.name() + "' can never be reached");
        }
        return found;
    }

    /**
     * A compensation runs only when a failure compensates the flow its step belongs to: the step's flow (the steps
     * reached from the same first step through successors and outcomes) must hold a step whose error behaviour is
     * {@link ErrorBehaviour#COMPENSATE}, as every step of a saga has; a container's own compensation also runs when
     * its block is compensated. A compensation outside any saga, under the default {@code FAIL}, would never run:
     * it is refused here rather than silently ignored.
     */
    private static List<String> compensationsThatNeverRun(List<StepDefinition> steps) {
        Set<Integer> compensationSteps = new HashSet<>();
        for (StepDefinition s : steps) if (s.compensation() != StepDefinition.NONE) compensationSteps.addAll(flow(steps, s.compensation()));
        List<Integer> entries = new ArrayList<>(List.of(0));
        for (StepDefinition s : steps) if (!compensationSteps.contains(s.id())) entries.addAll(s.children());
        Set<Integer> mayRun = new HashSet<>();
        for (int entry : entries) {
            Set<Integer> members = flow(steps, entry);
            if (compensates(steps, members)) mayRun.addAll(members);
            for (int m : members) {
                StepDefinition s = steps.get(m);
                for (int child : s.children()) if (compensates(steps, flow(steps, child))) mayRun.add(m);
            }
        }
        List<String> found = new ArrayList<>();
        for (StepDefinition s : steps) {
            if (s.compensation() != StepDefinition.NONE && !compensationSteps.contains(s.id()) && !mayRun.contains(s.id())) {
                found.add("step '" + s.name() + "' has a compensation that would never run: no step of its flow compensates on failure"
                        + " (put it in a saga, or give the step that may fail after it onError(COMPENSATE))");
            }
        }
        return found;
    }

    /** The steps reached from {@code first} through successors and outcomes, not entering branches or compensations. */
    private static Set<Integer> flow(List<StepDefinition> steps, int first) {
        Set<Integer> members = new HashSet<>();
        ArrayList<Integer> todo = new ArrayList<>(List.of(first));
        while (!todo.isEmpty()) {
            int id = todo.remove(todo.size() - 1);
            if (id == StepDefinition.NONE || !members.add(id)) continue;
            StepDefinition s = steps.get(id);
            todo.add(s.next());
            todo.addAll(s.outcomes().values());
        }
        return members;
    }

    private static boolean compensates(List<StepDefinition> steps, Set<Integer> members) {
        for (int m : members) if (steps.get(m).onError() == ErrorBehaviour.COMPENSATE) return true;
        return false;
    }

    public record Result(List<StepDefinition> steps, List<String> problems) {
    }
}
