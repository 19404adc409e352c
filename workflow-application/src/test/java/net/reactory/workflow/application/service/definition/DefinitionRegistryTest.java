package net.reactory.workflow.application.service.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.application.port.in.DuplicateWorkflowException;
import net.reactory.workflow.domain.definition.DefinitionKey;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.definition.WorkflowDefinition;
import net.reactory.workflow.domain.language.WorkflowBuilder;
import net.reactory.workflow.domain.step.ExecutionResult;

class DefinitionRegistryTest {

    private static Workflow workflow(String version) {
        return WorkflowBuilder.define("reg", "Order", version, Integer.class)
                .startWith("one", (n, ctx) -> ExecutionResult.next())
                .build();
    }

    @Test
    void givenRegisteredDefinitions_whenFoundByTheirOwnKeyOrByAnEqualKeyReadBackFromAStore_thenBothFindTheSameDefinition() {
        DefinitionRegistry registry = new DefinitionRegistry();
        WorkflowDefinition first = registry.register(workflow("1.0.0"));
        WorkflowDefinition second = registry.register(workflow("1.1.0"));

        assertThat(registry.find(first.key())).isSameAs(first);
        assertThat(registry.find(second.key())).isSameAs(second);
        // An instance loaded from MongoDB carries a key of its own, equal to the registered one.
        DefinitionKey readBack = DefinitionKey.parse("reg.Order@1.1.0");
        assertThat(readBack).isEqualTo(second.key()).isNotSameAs(second.key());
        assertThat(registry.find(readBack)).isSameAs(second);
        assertThat(registry.find(DefinitionKey.parse("reg.Order@2.0.0"))).isNull();
    }

    @Test
    void givenADuplicateRegistration_whenRefused_thenTheFirstDefinitionIsStillTheOneFound() {
        DefinitionRegistry registry = new DefinitionRegistry();
        WorkflowDefinition first = registry.register(workflow("1.0.0"));

        assertThatThrownBy(() -> registry.register(workflow("1.0.0"))).isInstanceOf(DuplicateWorkflowException.class);

        assertThat(registry.find(first.key())).isSameAs(first);
        assertThat(registry.find(DefinitionKey.parse("reg.Order@1.0.0"))).isSameAs(first);
    }
}
