package net.reactory.workflow.bootstrap.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import net.reactory.workflow.application.service.WorkflowRunnerService;

/** A green build shows warnings only: the daemon's INFO lines stay in the jar, the test MongoDB's limits stay out. */
class TestLoggingTest {

    @Test
    void givenTheTestClasspath_whenLoggersAreAsked_thenInfoIsOffAndRealWarningsStayOn() {
        Logger runner = LoggerFactory.getLogger(WorkflowRunnerService.class);
        assertThat(runner.isInfoEnabled()).as("INFO in tests (thousands of lifecycle lines)").isFalse();
        assertThat(runner.isWarnEnabled()).as("the runner's warnings").isTrue();
        assertThat(LoggerFactory.getLogger("workflow.lifecycle").isWarnEnabled()).as("failed instances").isTrue();
        assertThat(LoggerFactory.getLogger("de.bwaldvogel.mongo.backend.AbstractMongoDatabase").isWarnEnabled())
                .as("mongo-java-server's unimplemented-index warnings").isFalse();
    }
}
