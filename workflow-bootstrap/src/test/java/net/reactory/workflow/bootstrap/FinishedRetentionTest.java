package net.reactory.workflow.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.adapter.memory.MemoryInstanceStore;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.domain.language.WorkflowBuilder;

/** WORKFLOW_FINISHED_RETENTION: the in-memory daemon forgets finished instances, so its memory stays flat. */
class FinishedRetentionTest {

    @Test
    void givenNoSetting_whenRead_thenAnHourInMemoryAndSevenDaysOnMongo() {
        Settings settings = Settings.fromEnvironment(Map.of());

        assertThat(settings.memoryRetention()).isEqualTo(Duration.ofHours(1));
        assertThat(settings.mongoRetention()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void givenSetting_whenRead_thenBothStoresUseIt() {
        Settings settings = Settings.fromEnvironment(Map.of("WORKFLOW_FINISHED_RETENTION", "PT5M"));

        assertThat(settings.memoryRetention()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.mongoRetention()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void givenBadSetting_whenRead_thenRefusedNamingTheKey() {
        assertThatThrownBy(() -> Settings.fromEnvironment(Map.of("WORKFLOW_FINISHED_RETENTION", "soon")))
                .hasMessageContaining("WORKFLOW_FINISHED_RETENTION='soon'");
    }

    @Test
    void givenShortRetention_whenManyWorkflowsFinish_thenTheMemoryStoreHoldsFewOfThem() throws Exception {
        Daemon daemon = Daemon.create(Settings.fromEnvironment(Map.of("WORKFLOW_FINISHED_RETENTION", "1")));
        daemon.start();
        try {
            WorkflowRunnerService runner = daemon.runner();
            runner.registerWorkflow(WorkflowBuilder.define("retention", "Quick", "1.0.0", Integer.class)
                    .startWith("one", i -> i + 1).build());
            for (int i = 0; i < 2_000; i++) runner.startWorkflow("retention.Quick", null, i).get(10, TimeUnit.SECONDS);
            MemoryInstanceStore store = (MemoryInstanceStore) daemon.instance(InstanceStore.class);

            // The purge takes only finished instances (InstanceStoreContract), so a small store means they finished and went.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while ((store.size() >= 100 || runner.getState().running() > 0) && System.nanoTime() < deadline) {
                runner.startWorkflow("retention.Quick", null, -1).get(10, TimeUnit.SECONDS); // each finish purges the ones before
            }
            assertThat(store.size()).as("instances kept out of 2,000 finished with a 1 ms retention").isLessThan(100);
        } finally {
            daemon.stop();
        }
    }
}
