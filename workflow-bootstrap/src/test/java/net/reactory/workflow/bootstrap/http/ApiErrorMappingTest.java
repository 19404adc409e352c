package net.reactory.workflow.bootstrap.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import net.reactory.workflow.application.port.in.DuplicateWorkflowException;
import net.reactory.workflow.application.port.in.InstanceNotFoundException;
import net.reactory.workflow.application.port.in.InvalidInputException;
import net.reactory.workflow.application.port.in.Refusal;
import net.reactory.workflow.application.port.in.RunnerNotInitializedException;
import net.reactory.workflow.application.port.in.RunnerUnavailableException;
import net.reactory.workflow.application.port.in.WorkflowNotFoundException;
import net.reactory.workflow.domain.instance.InstanceFinishedException;
import net.reactory.workflow.domain.definition.InvalidWorkflowException;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/** What the runner throws becomes one status and code per kind of refusal, the kinds every edge shares. */
class ApiErrorMappingTest {

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of(new WorkflowNotFoundException("shop.Order", "not registered"), Refusal.UNKNOWN_WORKFLOW, 404, "not_found"),
                Arguments.of(new InstanceNotFoundException("i-1"), Refusal.UNKNOWN_INSTANCE, 404, "not_found"),
                Arguments.of(new InstanceFinishedException("i-1", WorkflowStatus.COMPLETE, "suspend"), Refusal.INSTANCE_FINISHED, 409, "conflict"),
                Arguments.of(new DuplicateWorkflowException("shop.Order@1.0.0"), Refusal.DUPLICATE_WORKFLOW, 409, "conflict"),
                Arguments.of(new IllegalStateException("not suspended"), Refusal.INVALID_STATE, 409, "conflict"),
                Arguments.of(new InvalidWorkflowException("shop.Order", List.of("no steps")), Refusal.INVALID_INPUT, 422, "invalid_input"),
                Arguments.of(new InvalidInputException("shop.Order", List.of("$.name: expected a text")), Refusal.INVALID_INPUT, 422, "invalid_input"),
                Arguments.of(new IllegalArgumentException("name is required"), Refusal.INVALID_INPUT, 422, "invalid_input"),
                Arguments.of(new RunnerNotInitializedException("startWorkflow"), Refusal.UNAVAILABLE, 503, "unavailable"),
                Arguments.of(new RunnerUnavailableException("store away", null), Refusal.UNAVAILABLE, 503, "unavailable"),
                Arguments.of(new UnsupportedOperationException("boom"), Refusal.INTERNAL, 500, "internal"));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("refusals")
    void givenWhatTheRunnerThrows_whenMapped_thenTheStatusAndCodeOfItsKind(RuntimeException thrown, Refusal kind, int status, String code) {
        assertThat(Refusal.of(thrown)).isEqualTo(kind);
        ApiException error = ApiException.of(thrown);
        assertThat(error.status()).isEqualTo(status);
        assertThat(error.code()).isEqualTo(code);
        assertThat(error.getMessage()).isNotBlank();
    }

    @Test
    void givenARefusalInsideTheFuturesWrappers_whenMapped_thenMappedAsTheRefusalItself() {
        ApiException error = ApiException.of(new ExecutionException(new CompletionException(new InstanceNotFoundException("i-9"))));
        assertThat(error.status()).isEqualTo(404);
        assertThat(error.getMessage()).contains("i-9");
    }

    @Test
    void givenAnApiException_whenMapped_thenKeptAsItIs() {
        ApiException tooLarge = new ApiException(413, "payload_too_large", "too large");
        assertThat(ApiException.of(tooLarge)).isSameAs(tooLarge);
    }

    @Test
    void givenAnUnexpectedFailure_whenMapped_thenTheMessageNamesOnlyItsType() {
        ApiException error = ApiException.of(new NullPointerException("secret detail"));
        assertThat(error.getMessage()).isEqualTo("internal error: NullPointerException").doesNotContain("secret");
    }
}
