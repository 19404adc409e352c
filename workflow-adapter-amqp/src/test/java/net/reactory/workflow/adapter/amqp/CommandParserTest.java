package net.reactory.workflow.adapter.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;

/** Reading commands, without a broker. */
class CommandParserTest {

    private final CommandParser parser = new CommandParser(new ObjectMapper(), 100);

    private Command parse(String type, String contentType, String body) throws BadCommandException {
        return parser.parse(new AMQP.BasicProperties.Builder().type(type).contentType(contentType).build(), body.getBytes(StandardCharsets.UTF_8));
    }

    private String reason(String type, String contentType, String body) {
        try {
            parse(type, contentType, body);
            throw new AssertionError("parsed although bad: " + body);
        } catch (BadCommandException e) {
            return e.reason();
        }
    }

    @Test
    void givenOriginalStartBody_whenParsed_thenEveryFieldKeptAndNoContentTypeAccepted() throws Exception {
        Command command = parse("startWorkflow", null, "{\"id\":\"a.B\",\"version\":\"1.0.0\",\"data\":{\"x\":[1,\"y\"]},\"src\":\"s\"}");

        assertThat(command).isEqualTo(new Command.Start("a.B", "1.0.0", Map.of("x", List.of(1, "y")), "s", null, null));
    }

    @Test
    void givenLifecycleAndEventCommands_whenParsed_thenTyped() throws Exception {
        assertThat(parse("suspend", "application/json; charset=utf-8", "{\"instanceId\":\"i\",\"reason\":\"r\"}")).isEqualTo(new Command.Suspend("i", "r"));
        assertThat(parse("resume", "application/json", "{\"instanceId\":\"i\"}")).isEqualTo(new Command.Resume("i"));
        assertThat(parse("terminate", "application/json", "{\"instanceId\":\"i\",\"schemaVersion\":1}")).isEqualTo(new Command.Terminate("i", null));
        assertThat(parse("publishEvent", "application/json", "{\"name\":\"n\",\"key\":\"k\",\"effectiveAt\":\"2026-01-01T00:00:00Z\"}"))
                .isEqualTo(new Command.PublishEvent("n", "k", null, Instant.parse("2026-01-01T00:00:00Z"), null));
    }

    @Test
    void givenBadInputOfEachKind_whenParsed_thenRefusedNamingTheReason() {
        assertThat(reason("startWorkflow", "text/plain", "{\"id\":\"a.B\"}")).isEqualTo("wrong-content-type");
        assertThat(reason("startWorkflow", null, "{\"id\":\"" + "x".repeat(100) + "\"}")).isEqualTo("oversize-body");
        assertThat(reason(null, null, "{\"id\":\"a.B\"}")).isEqualTo("unknown-type");
        assertThat(reason("stopEverything", null, "{}")).isEqualTo("unknown-type");
        assertThat(reason("startWorkflow", null, "{\"id\":")).isEqualTo("malformed-json");
        assertThat(reason("startWorkflow", null, "{\"id\":\"a.B\"} trailing")).isEqualTo("malformed-json");
        assertThat(reason("startWorkflow", null, "[1,2]")).isEqualTo("malformed-json");
        assertThat(reason("startWorkflow", null, "")).isEqualTo("malformed-json");
        assertThat(reason("startWorkflow", null, "{\"version\":\"1.0.0\"}")).isEqualTo("missing-field");
        assertThat(reason("startWorkflow", null, "{\"id\":\"  \"}")).isEqualTo("missing-field");
        assertThat(reason("startWorkflow", null, "{\"id\":7}")).isEqualTo("wrong-field-type");
        assertThat(reason("startWorkflow", null, "{\"id\":\"a.B\",\"src\":{}}")).isEqualTo("wrong-field-type");
        assertThat(reason("startWorkflow", null, "{\"id\":\"a.B\",\"schemaVersion\":2}")).isEqualTo("unsupported-schema-version");
        assertThat(reason("publishEvent", null, "{\"name\":\"n\",\"key\":\"k\",\"effectiveAt\":\"soon\"}")).isEqualTo("invalid-field");
    }

    @Test
    void givenUriWithPassword_whenRedacted_thenPasswordHidden() {
        AmqpConfig config = AmqpConfig.of("amqps://svc:s3cret@broker.example:5671/prod");

        assertThat(config.redactedUri()).isEqualTo("amqps://svc:***@broker.example:5671/prod");
        assertThat(config.toString()).doesNotContain("s3cret");
        assertThatThrownBy(() -> AmqpConfig.of("http://x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AmqpConfig.of("amqp://x").withPrefix("bad prefix")).isInstanceOf(IllegalArgumentException.class);
    }
    private final CommandParser roomy = new CommandParser(new ObjectMapper(), 1_000_000);

    private String roomyRefusal(String type, String body) {
        try {
            roomy.parse(new AMQP.BasicProperties.Builder().type(type).build(), body.getBytes(StandardCharsets.UTF_8));
            throw new AssertionError("parsed although bad: " + body);
        } catch (BadCommandException e) {
            return e.reason() + ": " + e.getMessage();
        }
    }

    @Test
    void givenNumbersNoDoubleHolds_whenParsed_thenExactAndThoseBeyondADoubleRefusedNamingTheField() throws Exception {
        Command.Start start = (Command.Start) roomy.parse(new AMQP.BasicProperties.Builder().type("startWorkflow").build(),
                "{\"id\":\"a.B\",\"data\":{\"p\":0.1000000000000000000001,\"t\":1e-400,\"b\":123456789012345678901234567890,\"d\":0.5,\"i\":3}}"
                        .getBytes(StandardCharsets.UTF_8));

        assertThat(start.data()).isEqualTo(Map.of("p", new java.math.BigDecimal("0.1000000000000000000001"), "t", new java.math.BigDecimal("1E-400"),
                "b", new java.math.BigInteger("123456789012345678901234567890"), "d", 0.5, "i", 3));
        assertThat(roomyRefusal("startWorkflow", "{\"id\":\"a.B\",\"data\":{\"amount\":1e400}}")).startsWith("invalid-input").contains("data.amount");
    }

    @Test
    void givenHostileStructure_whenParsed_thenEachRefusedSayingWhat() {
        assertThat(roomyRefusal("startWorkflow", "{\"id\":\"a.B\",\"id\":\"c.D\"}")).startsWith("malformed-json").containsIgnoringCase("duplicate");
        String deep = "{\"a\":".repeat(300) + "1" + "}".repeat(300);
        assertThat(roomyRefusal("startWorkflow", "{\"id\":\"a.B\",\"data\":" + deep + "}")).startsWith("invalid-input")
                .contains("nested deeper than 256 levels");
        assertThat(roomyRefusal("publishEvent", "{\"name\":\"n\",\"key\":\"k\",\"effectiveAt\":\"+999999999-12-31T23:59:59Z\"}"))
                .startsWith("invalid-field").contains("effectiveAt").contains("0000-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z");
    }
}
