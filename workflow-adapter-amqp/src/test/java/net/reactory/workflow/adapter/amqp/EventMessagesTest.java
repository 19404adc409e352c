package net.reactory.workflow.adapter.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import net.reactory.workflow.domain.definition.DefinitionKey;
import net.reactory.workflow.domain.instance.StepError;
import net.reactory.workflow.domain.instance.WorkflowEvent;

/** The hand-written JSON of lifecycle events reads back as the schema says, whatever characters the values hold. */
class EventMessagesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DefinitionKey ORDER = DefinitionKey.of("shop.eu", "Order", "2.1.0");
    private static final Instant AT = Instant.parse("2026-06-01T12:00:00.123Z");
    private final EventMessages messages = new EventMessages(new AmqpNames("p"));

    private JsonNode body(WorkflowEvent event) throws Exception {
        return JSON.readTree(messages.toMessage(event).body());
    }

    @Test
    void givenAStepCompletedEvent_whenWritten_thenEveryCommonFieldAndTheStepFieldsReadBack() throws Exception {
        WorkflowEvent event = new WorkflowEvent.StepCompleted("i-1", ORDER, 12, AT, "Pay", 3);

        JsonNode node = body(event);
        EventMessages.Message m = messages.toMessage(event);

        assertThat(node.get("schemaVersion").asInt()).isEqualTo(1);
        assertThat(node.get("eventId").asText()).isEqualTo(event.eventId());
        assertThat(node.get("kind").asText()).isEqualTo("step.completed");
        assertThat(node.get("instanceId").asText()).isEqualTo("i-1");
        assertThat(node.get("workflow").asText()).isEqualTo("shop.eu.Order");
        assertThat(node.get("version").asText()).isEqualTo("2.1.0");
        assertThat(node.get("revision").asLong()).isEqualTo(12);
        assertThat(node.get("at").asText()).isEqualTo("2026-06-01T12:00:00.123Z");
        assertThat(node.get("step").asText()).isEqualTo("Pay");
        assertThat(node.get("pointerId").asInt()).isEqualTo(3);
        assertThat(m.routingKey()).isEqualTo("p.shop.eu.Order.step.completed");
        assertThat(m.properties().getType()).isEqualTo("step.completed");
        assertThat(m.properties().getTimestamp().getTime()).isEqualTo(AT.toEpochMilli());
        assertThat(m.properties().getHeaders()).containsEntry("x-workflow-instance", "i-1").containsEntry("x-workflow-revision", 12L);
    }

    @Test
    void givenAnEventOfATracedInstance_whenWritten_thenItsHeadersCarryTheTraceContextBesideTheWorkflowOnes() {
        var context = java.util.Map.of("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "tracestate", "a=b");

        EventMessages.Message m = messages.toMessage(new WorkflowEvent.WorkflowCompleted("i-3", ORDER, 4, AT), context);

        assertThat(m.properties().getHeaders()).containsAllEntriesOf(context).containsEntry("x-workflow-instance", "i-3");
        assertThat(messages.toMessage(new WorkflowEvent.WorkflowCompleted("i-3", ORDER, 4, AT)).properties().getHeaders())
                .doesNotContainKey("traceparent");
    }

    @Test
    void givenValuesWithQuotesControlCharactersAndUnicode_whenWritten_thenTheyReadBackUnchanged() throws Exception {
        String reason = "say \"no\"\\ then\nnew line\ttab \u0001 \u2028 caf\u00e9 \uD83D\uDE00";

        JsonNode node = body(new WorkflowEvent.WorkflowTerminated("i-2", ORDER, 2, AT, reason));

        assertThat(node.get("reason").asText()).isEqualTo(reason);
    }

    @Test
    void givenFailuresWithAndWithoutAnError_whenWritten_thenTheErrorObjectHoldsItsFieldsOrIsEmpty() throws Exception {
        StepError error = new StepError("Pay", "java.io.IOException", "card declined", 3, AT);

        JsonNode failed = body(new WorkflowEvent.WorkflowFailed("i-3", ORDER, 5, AT, error));
        JsonNode noError = body(new WorkflowEvent.StepFailed("i-3", ORDER, 4, AT, null));
        JsonNode retry = body(new WorkflowEvent.RetryScheduled("i-3", ORDER, 6, AT, "Pay", 2, null));
        JsonNode started = body(new WorkflowEvent.WorkflowStarted("i-3", ORDER, 1, AT, null));

        assertThat(failed.get("error").get("step").asText()).isEqualTo("Pay");
        assertThat(failed.get("error").get("type").asText()).isEqualTo("java.io.IOException");
        assertThat(failed.get("error").get("message").asText()).isEqualTo("card declined");
        assertThat(failed.get("error").get("attempt").asInt()).isEqualTo(3);
        assertThat(failed.get("error").get("at").asText()).isEqualTo(AT.toString());
        assertThat(noError.get("error").isObject()).isTrue();
        assertThat(noError.get("error").size()).isZero();
        assertThat(retry.get("retryAt").isNull()).isTrue();
        assertThat(retry.get("attempt").asInt()).isEqualTo(2);
        assertThat(started.get("reference").isNull()).isTrue();
    }
}
