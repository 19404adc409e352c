package net.reactory.workflow.bootstrap;

import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.step.StepContext;
import net.reactory.workflow.domain.definition.Workflow;

/** The workflows every daemon registers, as the original runner did. */
public final class DefaultWorkflows {

    private static final Logger log = LoggerFactory.getLogger(DefaultWorkflows.class);

    public static final String STARTUP = "reactory.Startup@1.0.0";

    private DefaultWorkflows() {
    }

    public static List<Workflow> all() {
        return List.of(startup());
    }

    /** Runs when the daemon starts: {@code BeforeStartup} then {@code AfterStartup}, each logging when it was started. */
    public static Workflow startup() {
        return new Workflow("reactory", "Startup", "1.0.0", steps -> steps
                .startWith("BeforeStartup", ctx -> logWhen("BeforeStartup", ctx))
                .then("AfterStartup", ctx -> logWhen("AfterStartup", ctx)),
                "startup", true, Map.of());
    }

    private static ExecutionResult logWhen(String step, StepContext ctx) {
        Object when = ctx.data() instanceof Map<?, ?> data ? data.get("when") : null;
        log.info("{}: startup workflow {} started at {}", step, ctx.instanceId(), when);
        return ExecutionResult.next();
    }
}
