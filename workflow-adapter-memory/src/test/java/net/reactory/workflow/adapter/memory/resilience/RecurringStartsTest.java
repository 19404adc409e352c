package net.reactory.workflow.adapter.memory.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.adapter.memory.InProcessWorkSignal;
import net.reactory.workflow.adapter.memory.MemoryEventStore;
import net.reactory.workflow.application.port.in.InstanceFilter;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.definition.InvalidWorkflowException;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/** Acceptance 8: recurring auto-starts; in a cluster each tick starts once. */
class RecurringStartsTest extends ResilienceFixture {

    private static Workflow recurring(String name, Map<String, Object> props) {
        return Workflow.of("res", name, "1.0.0", steps -> steps.startWith("Tick", ctx -> ExecutionResult.next()))
                .withAutoStart(true).withProps(props);
    }

    private List<WorkflowInstance> instances() {
        return store.query(InstanceFilter.all(1000));
    }

    @Test
    void givenTwoRunnersSharingAStoreAndAnIntervalWorkflow_whenTwentyTicksPass_thenExactlyTwentyInstancesOnePerTick() {
        Workflow every = recurring("Every", Map.of("interval", 60_000));
        InProcessWorkSignal signal = new InProcessWorkSignal();
        WorkflowRunnerService a = runner(config(), store, signal, every);
        WorkflowRunnerService b = runner(config(), store, signal, every);

        for (int tick = 1; tick < 20; tick++) {
            clock.advance(Duration.ofMinutes(1));
            CompletableFuture.allOf(CompletableFuture.runAsync(a::pollNow), CompletableFuture.runAsync(b::pollNow)).join();
        }
        try {
            await().atMost(WAIT).until(() -> instances().size() >= 20 && instances().stream().allMatch(WorkflowInstance::isFinished));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(instances().size() + " instances, unfinished: "
                    + instances().stream().filter(i -> !i.isFinished()).toList() + " running a=" + a.getState().running()
                    + " b=" + b.getState().running(), e);
        }
        a.pollNow();
        b.pollNow();

        List<WorkflowInstance> all = instances();
        assertThat(all).hasSize(20).allSatisfy(i -> assertThat(i.status()).isEqualTo(WorkflowStatus.COMPLETE));
        List<String> expected = IntStream.range(0, 20)
                .mapToObj(n -> "auto-start:res.Every@1.0.0@" + T0.plus(Duration.ofMinutes(n))).toList();
        assertThat(all).extracting(WorkflowInstance::reference).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(all).extracting(i -> (String) ((Map<?, ?>) i.data()).get("when"))
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 20).mapToObj(n -> T0.plus(Duration.ofMinutes(n)).toString()).toList());
    }

    /**
     * Issue 14.2: twelve node starts gave twelve instances. A plain auto-start is live at most once per definition
     * and version: nodes that initialise while it is live start nothing; once it finished, the next one starts it again.
     */
    @Test
    void givenPlainAutoStartLive_whenMoreNodesInitialize_thenNoSecondLiveInstanceUntilTheFirstHasFinished() {
        Workflow plain = Workflow.of("res", "Plain", "1.0.0", steps -> steps.startWith("Hold", ctx -> ctx.receivedEvent() != null
                        ? ExecutionResult.next() : ExecutionResult.waitForEvent("release", "plain", null)))
                .withAutoStart(true);
        InProcessWorkSignal signal = new InProcessWorkSignal();
        MemoryEventStore events = new MemoryEventStore();
        Supplier<WorkflowRunnerService> node = () -> initialized(WorkflowRunnerService.builder().config(config()).store(store).eventStore(events)
                .clock(clock).auditLog(audit).workSignal(signal).workflows(List.of(plain)));
        WorkflowRunnerService first = node.get();
        await().atMost(WAIT).until(() -> instances().size() == 1 && instances().getFirst().pointers().getFirst().waitingFor() != null);

        for (int n = 0; n < 11; n++) {
            WorkflowRunnerService another = node.get();
            if (n % 2 == 0) another.stop().join();
        }
        first.stop().join();
        WorkflowRunnerService later = node.get();

        assertThat(instances()).as("twelve node starts while one is live").hasSize(1);
        assertThat(instances().getFirst().reference()).isEqualTo("auto-start:res.Plain@1.0.0");
        String firstId = instances().getFirst().id();
        later.publishEvent("release", "plain", null, null).join();
        awaitStatus(firstId, WorkflowStatus.COMPLETE);
        assertThat(stored(firstId).reference()).isEqualTo("auto-start:res.Plain@1.0.0:finished:" + firstId);

        node.get();
        node.get();

        assertThat(instances()).hasSize(2);
        assertThat(instances().stream().filter(i -> !i.isFinished()).toList()).singleElement()
                .satisfies(i -> assertThat(i.reference()).isEqualTo("auto-start:res.Plain@1.0.0"));
    }

    @Test
    void givenCronEveryFiveMinutes_whenClockMoves_thenOneStartPerCronTimeMissedOnesCaughtUp() {
        WorkflowRunnerService runner = runner(recurring("Cron", Map.of("cron", "*/5 * * * *")));
        await().atMost(WAIT).until(() -> instances().size() == 1);

        clock.advance(Duration.ofMinutes(4));
        runner.pollNow();
        assertThat(instances()).hasSize(1);
        clock.advance(Duration.ofMinutes(1));
        runner.pollNow();
        await().atMost(WAIT).until(() -> instances().size() == 2);
        clock.advance(Duration.ofMinutes(10).plusSeconds(30));
        runner.pollNow();
        await().atMost(WAIT).until(() -> instances().size() == 4);

        assertThat(instances()).extracting(i -> Instant.parse((String) ((Map<?, ?>) i.data()).get("when")))
                .containsExactlyInAnyOrder(T0, T0.plusSeconds(300), T0.plusSeconds(600), T0.plusSeconds(900));
    }

    @Test
    void givenStoreDownAtATick_whenItRecovers_thenThatTickStartsLateButOnce() {
        FaultyStore faulty = new FaultyStore(store);
        WorkflowRunnerService runner = runner(config().withResilience(net.reactory.workflow.application.service.ResilienceConfig.defaults()
                .withStoreBreaker(3, Duration.ofMillis(50))), faulty, null, recurring("Every", Map.of("interval", 60_000)));
        await().atMost(WAIT).until(() -> instances().size() == 1);

        faulty.down.set(true);
        clock.advance(Duration.ofMinutes(1));
        org.assertj.core.api.Assertions.catchThrowable(runner::pollNow);
        await().atMost(WAIT).until(() -> audit.recent(10).stream().anyMatch(e -> e.refused() && e.command().equals("start")));
        faulty.down.set(false);
        await().atMost(WAIT).until(() -> {
            org.assertj.core.api.Assertions.catchThrowable(runner::pollNow);
            return instances().size() == 2;
        });
        runner.pollNow();

        assertThat(instances()).extracting(WorkflowInstance::reference).containsExactlyInAnyOrder(
                "auto-start:res.Every@1.0.0@" + T0, "auto-start:res.Every@1.0.0@" + T0.plus(Duration.ofMinutes(1)));
    }

    @Test
    void givenCronOfFiveFieldsTheParserRefuses_whenRegistered_thenRefusedNamingTheExpression() {
        WorkflowRunnerService runner = runner();

        InvalidWorkflowException error = catchThrowableOfType(InvalidWorkflowException.class,
                () -> runner.registerWorkflow(recurring("BadCron", Map.of("cron", "61 * * * *"))));

        assertThat(error.problems()).singleElement().asString().contains("props.cron").contains("61 * * * *");
        assertThat(runner.getState().workflows()).isEmpty();
    }

    @Test
    void givenBadRecurrenceProps_whenRegistered_thenEveryProblemListed() {
        WorkflowRunnerService runner = runner();

        InvalidWorkflowException error = catchThrowableOfType(InvalidWorkflowException.class, () -> runner.registerWorkflow(
                recurring("Bad", Map.of("cron", "every minute", "interval", -5, "deadline", "soon", "maxConcurrent", 0))));

        assertThat(error.problems()).hasSize(4)
                .anySatisfy(p -> assertThat(p).contains("props.cron"))
                .anySatisfy(p -> assertThat(p).contains("props.interval"))
                .anySatisfy(p -> assertThat(p).contains("props.deadline"))
                .anySatisfy(p -> assertThat(p).contains("props.maxConcurrent"));
    }
}
