package com.example.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.application.port.in.WorkflowPlugin;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;
import net.reactory.workflow.testing.WorkflowTestHarness;

class ShoutPluginTest {

    /** Found the way the daemon finds it: through the service file of the jar. */
    private static WorkflowPlugin loaded() {
        List<WorkflowPlugin> plugins = ServiceLoader.load(WorkflowPlugin.class).stream().map(ServiceLoader.Provider::get).toList();
        assertThat(plugins).extracting(WorkflowPlugin::name).containsExactly("shout-example");
        return plugins.get(0);
    }

    @Test
    void givenThePluginsWorkflow_whenRun_thenTheMessageIsShouted() {
        WorkflowPlugin plugin = loaded();
        try (WorkflowTestHarness harness = WorkflowTestHarness.builder().workflows(plugin.workflows()).build()) {
            String id = harness.start("demo.Shout", Map.of("message", "hello"));

            WorkflowInstance done = harness.awaitFinished(id);

            assertThat(done.status()).isEqualTo(WorkflowStatus.COMPLETE);
            assertThat(done.data()).isEqualTo(Map.of("message", "HELLO!"));
        }
    }

    @Test
    void givenTheStepType_whenTheDataHasNoMessage_thenTheStepFailsSayingWhy() {
        WorkflowPlugin plugin = loaded();
        assertThat(plugin.stepTypes()).containsOnlyKeys("shout");
        try (WorkflowTestHarness harness = WorkflowTestHarness.builder().workflows(plugin.workflows()).build()) {
            String id = harness.start("demo.Shout", Map.of("text", "hello"));

            WorkflowInstance failed = harness.awaitFinished(id);

            assertThat(failed.status()).isEqualTo(WorkflowStatus.FAILED);
            assertThat(failed.lastError().message()).contains("'message'");
        }
    }
}
