package net.reactory.workflow.tracing;

import io.opentelemetry.api.common.AttributeKey;

/** The attribute names on the runner's spans and span events. {@code error.type} is OpenTelemetry's own. */
public final class WorkflowAttributes {

    public static final AttributeKey<String> WORKFLOW_ID = AttributeKey.stringKey("workflow.id");
    public static final AttributeKey<String> WORKFLOW_VERSION = AttributeKey.stringKey("workflow.version");
    public static final AttributeKey<String> INSTANCE_ID = AttributeKey.stringKey("workflow.instance.id");
    public static final AttributeKey<String> STATUS = AttributeKey.stringKey("workflow.status");
    public static final AttributeKey<String> STEP_NAME = AttributeKey.stringKey("workflow.step.name");
    public static final AttributeKey<Long> STEP_ATTEMPT = AttributeKey.longKey("workflow.step.attempt");
    /** completed, failed, sleep, wait, child, branch, persist. */
    public static final AttributeKey<String> STEP_OUTCOME = AttributeKey.stringKey("workflow.step.outcome");
    public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    public static final AttributeKey<String> EVENT_NAME = AttributeKey.stringKey("workflow.event.name");
    public static final AttributeKey<String> EVENT_KEY = AttributeKey.stringKey("workflow.event.key");
    public static final AttributeKey<String> EVENT_ID = AttributeKey.stringKey("workflow.event.id");
    public static final AttributeKey<String> CHILD_WORKFLOW = AttributeKey.stringKey("workflow.child.id");
    public static final AttributeKey<String> RETRY_AT = AttributeKey.stringKey("workflow.retry.at");
    /** On {@code retry.scheduled}: the attempt the retry will be (the failed one's plus one). */
    public static final AttributeKey<Long> RETRY_ATTEMPT = AttributeKey.longKey("workflow.retry.attempt");
    /** On {@code retry.scheduled}: how long after the commit that scheduled it the retry is due. */
    public static final AttributeKey<Long> RETRY_DELAY_MS = AttributeKey.longKey("workflow.retry.delay_ms");
    public static final AttributeKey<String> REASON = AttributeKey.stringKey("workflow.reason");

    private WorkflowAttributes() {
    }
}
