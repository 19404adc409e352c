package net.reactory.workflow.domain.foundation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.domain.definition.DefinitionKey;
import net.reactory.workflow.domain.definition.SemanticVersion;
import net.reactory.workflow.domain.definition.WorkflowId;
import net.reactory.workflow.domain.definition.WorkflowRef;

class VersionsAndIdsTest {

    @Test
    void givenVersions_whenCompared_thenComparedAsNumbersNotText() {
        assertThat(SemanticVersion.parse("1.10.0")).isGreaterThan(SemanticVersion.parse("1.9.0"));
        assertThat(SemanticVersion.parse("2.0.0")).isGreaterThan(SemanticVersion.parse("1.99.99"));
        assertThat(SemanticVersion.parse("1.0.1")).isGreaterThan(SemanticVersion.parse("1.0.0"));
    }

    @Test
    void givenMalformedVersion_whenParsed_thenErrorNamesTheText() {
        for (String bad : new String[] {"1.0", "v1.0.0", "1.0.0.0", "01.0.0", "", "a.b.c"}) {
            assertThatThrownBy(() -> SemanticVersion.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void givenIdWithDottedNameSpace_whenParsed_thenNameIsAfterLastDot() {
        assertThat(WorkflowId.parse("reactory.core.Startup")).isEqualTo(new WorkflowId("reactory.core", "Startup"));
    }

    @Test
    void givenIdWithVersionSuffix_whenParsedAsRef_thenVersionTaken() {
        assertThat(WorkflowRef.parse("reactory.Startup@1.0.0"))
                .isEqualTo(new WorkflowRef(new WorkflowId("reactory", "Startup"), SemanticVersion.parse("1.0.0")));
        assertThat(WorkflowRef.parse("reactory.Startup").version()).isNull();
        assertThat(DefinitionKey.parse("reactory.Startup@1.2.3").toString()).isEqualTo("reactory.Startup@1.2.3");
    }

    @Test
    void givenIdVersionAndConflictingVersionArgument_whenCombined_thenRefused() {
        assertThatThrownBy(() -> WorkflowRef.of("reactory.Startup@1.0.0", "2.0.0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.0.0").hasMessageContaining("2.0.0");
        assertThat(WorkflowRef.of("reactory.Startup@1.0.0", "1.0.0").version()).isEqualTo(SemanticVersion.parse("1.0.0"));
    }

    @Test
    void givenIdWithoutNameSpace_whenParsed_thenRefused() {
        assertThatThrownBy(() -> WorkflowId.parse("Startup")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Startup");
        assertThatThrownBy(() -> WorkflowId.parse("reactory.")).isInstanceOf(IllegalArgumentException.class);
    }
}
