package net.reactory.workflow.adapter.memory.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.application.port.in.CommandOrigin;
import net.reactory.workflow.application.port.in.InvalidInputException;
import net.reactory.workflow.application.port.in.StartRequest;
import net.reactory.workflow.application.port.out.AuditEntry;
import net.reactory.workflow.application.service.ResilienceConfig;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.definition.InputValidator;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/** Acceptance 10 (every command audited, refusals with their reason) and input validation. */
class AuditAndValidationTest extends ResilienceFixture {

    private static final InputValidator PAYMENT = data -> {
        List<String> found = new ArrayList<>();
        if (!(data instanceof Map<?, ?> map)) return List.of("data must be an object");
        if (!(map.get("amount") instanceof Number n) || n.doubleValue() <= 0) found.add("amount must be a positive number");
        if (!(map.get("currency") instanceof String c) || c.length() != 3) found.add("currency must be a three-letter code");
        return found;
    };

    private static final Workflow PAY = Workflow.of("res", "Pay", "1.0.0", steps -> steps.startWith("Pay", ctx -> ExecutionResult.next()))
            .withInputValidator(PAYMENT);

    @Test
    void givenValidatorOnDefinition_whenStartedWithBadData_thenRefusedListingEveryViolationAndNothingStored() {
        WorkflowRunnerService runner = runner(PAY);

        InvalidInputException error = catchThrowableOfType(InvalidInputException.class,
                () -> runner.startWorkflow("res.Pay", null, Map.of("amount", -3, "currency", "EURO")));

        assertThat(error.violations()).containsExactly("amount must be a positive number", "currency must be a three-letter code");
        assertThat(store.size()).isZero();
        assertThat(audit.recent(1)).singleElement().satisfies(e -> {
            assertThat(e.outcome()).isEqualTo("refused");
            assertThat(e.detail()).contains("amount must be a positive number").contains("currency must be a three-letter code");
        });
        String ok = runner.startWorkflow("res.Pay", null, Map.of("amount", 12.5, "currency", "EUR")).join();
        awaitStatus(ok, WorkflowStatus.COMPLETE);
    }

    @Test
    void givenDefaultLimit_whenDataOverOneMebibyteSerialized_thenRefusedAndNothingStored() {
        WorkflowRunnerService runner = runner(Workflow.of("res", "Any", "1.0.0", steps -> steps.startWith("A", ctx -> ExecutionResult.next())));
        String justUnder = "x".repeat(1024 * 1024 - 20);

        InvalidInputException error = catchThrowableOfType(InvalidInputException.class,
                () -> runner.startWorkflow("res.Any", null, Map.of("blob", justUnder + "y".repeat(40))));
        String accepted = runner.startWorkflow("res.Any", null, Map.of("blob", justUnder)).join();

        assertThat(error.violations()).singleElement().asString().contains("larger than the limit of 1048576 bytes");
        assertThat(store.size()).isEqualTo(1);
        assertThat(stored(accepted)).isNotNull();
    }

    @Test
    void givenDataNested300Deep_whenStarted_thenRefusedAsNestedTooDeepNotAsTooLarge() {
        WorkflowRunnerService runner = runner(Workflow.of("res", "Any", "1.0.0", steps -> steps.startWith("A", ctx -> ExecutionResult.next())));
        Object deep = "leaf";
        for (int i = 0; i < 300; i++) deep = Map.of("a", deep);
        Object data = deep;

        InvalidInputException error = catchThrowableOfType(InvalidInputException.class, () -> runner.startWorkflow("res.Any", null, data));

        assertThat(error.violations()).containsExactly("data is nested deeper than 256 levels (or refers to itself)");
        assertThat(store.size()).isZero();
    }

    @Test
    void givenConfiguredSmallLimit_whenDataOverIt_thenRefused() {
        WorkflowRunnerService runner = runner(config().withResilience(ResilienceConfig.defaults().withMaxInputBytes(64)), store, null, PAY);

        Throwable error = catchThrowable(() -> runner.startWorkflow("res.Pay", null, Map.of("amount", 1, "currency", "EUR", "note", "z".repeat(64))));

        assertThat(error).isInstanceOf(InvalidInputException.class).hasMessageContaining("64 bytes");
        assertThat(store.size()).isZero();
    }

    @Test
    void givenEveryCommand_whenAcceptedOrRefused_thenEachInTheAuditLogWithWhoWhereWhatAndRefusalReason() {
        WorkflowRunnerService runner = runner(PAY);
        runner.registerWorkflow(Workflow.of("res", "Extra", "1.0.0", steps -> steps.startWith("A", ctx -> ExecutionResult.sleep(java.time.Duration.ofHours(1), null))));
        catchThrowable(() -> runner.registerWorkflow(Workflow.of("res", "Extra", "1.0.0", steps -> steps.startWith("A", ctx -> ExecutionResult.next()))));
        String id = runner.startWorkflow(new StartRequest("res.Extra", null, Map.of(), null, "alice", "http")).join();
        catchThrowable(() -> runner.startWorkflow(new StartRequest("res.Missing", null, Map.of(), null, "bob", "amqp")));
        catchThrowable(() -> runner.startWorkflow(new StartRequest("res.Pay", null, Map.of(), null, "carol", "cli")));
        awaitInstance(id, i -> i.lease() == null);
        runner.suspend(id, "ops", new CommandOrigin("dora", "http")).join();
        runner.resume(id).join();
        runner.terminate(id, "ops").join();
        catchThrowable(() -> runner.resume(id).join());
        catchThrowable(() -> runner.suspend("no-such-instance", "ops").join());
        runner.publishEvent("paid", "order-7", Map.of(), null).join();
        catchThrowable(() -> runner.publishEvent(" ", "order-7", Map.of(), null));

        List<AuditEntry> log = new ArrayList<>(audit.recent(100));
        java.util.Collections.reverse(log);
        assertThat(log).extracting(AuditEntry::command, AuditEntry::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("register", "accepted"),
                org.assertj.core.groups.Tuple.tuple("register", "refused"),
                org.assertj.core.groups.Tuple.tuple("start", "accepted"),
                org.assertj.core.groups.Tuple.tuple("start", "refused"),
                org.assertj.core.groups.Tuple.tuple("start", "refused"),
                org.assertj.core.groups.Tuple.tuple("suspend", "accepted"),
                org.assertj.core.groups.Tuple.tuple("resume", "accepted"),
                org.assertj.core.groups.Tuple.tuple("terminate", "accepted"),
                org.assertj.core.groups.Tuple.tuple("resume", "refused"),
                org.assertj.core.groups.Tuple.tuple("suspend", "refused"),
                org.assertj.core.groups.Tuple.tuple("publishEvent", "accepted"),
                org.assertj.core.groups.Tuple.tuple("publishEvent", "refused"));
        assertThat(log).allSatisfy(e -> {
            assertThat(e.at()).isEqualTo(T0);
            assertThat(e.actor()).isNotBlank();
            assertThat(e.entryPoint()).isNotBlank();
            assertThat(e.target()).isNotBlank();
        });
        assertThat(log).filteredOn(AuditEntry::refused).allSatisfy(e -> assertThat(e.detail()).isNotBlank());
        assertThat(log.get(1).detail()).contains("already registered");
        assertThat(log.get(2)).extracting(AuditEntry::actor, AuditEntry::entryPoint, AuditEntry::detail).containsExactly("alice", "http", id);
        assertThat(log.get(3)).extracting(AuditEntry::actor, AuditEntry::entryPoint).containsExactly("bob", "amqp");
        assertThat(log.get(3).detail()).contains("not registered");
        assertThat(log.get(4).detail()).contains("amount must be a positive number");
        assertThat(log.get(5)).extracting(AuditEntry::actor, AuditEntry::entryPoint, AuditEntry::target, AuditEntry::detail)
                .containsExactly("dora", "http", id, "SUSPENDED");
        assertThat(log.get(8).detail()).contains("already finished as TERMINATED");
        assertThat(log.get(9).detail()).contains("no workflow instance has the id no-such-instance");
        assertThat(log.get(10).target()).isEqualTo("paid/order-7");
        assertThat(log.get(11).detail()).contains("an event needs a name");
    }
}
