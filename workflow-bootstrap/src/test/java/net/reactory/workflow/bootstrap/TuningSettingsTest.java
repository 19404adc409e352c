package net.reactory.workflow.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.application.service.ResilienceConfig;
import net.reactory.workflow.application.service.RunnerConfig;

/** The resilience defaults an operator sets through the environment reach the runner's configuration. */
class TuningSettingsTest {

    @Test
    void givenNothingSet_whenTheRunnerIsConfigured_thenTheLibraryDefaultsHold() {
        RunnerConfig config = Settings.fromEnvironment(Map.of()).runnerConfig();
        RunnerConfig defaults = RunnerConfig.defaults();

        assertThat(config.leaseDuration()).isEqualTo(defaults.leaseDuration());
        assertThat(config.retryInitialDelay()).isEqualTo(defaults.retryInitialDelay());
        assertThat(config.retryMaxDelay()).isEqualTo(defaults.retryMaxDelay());
        ResilienceConfig r = config.resilience();
        assertThat(r.defaultStepTimeout()).isNull();
        assertThat(r.breakerFailureThreshold()).isEqualTo(ResilienceConfig.defaults().breakerFailureThreshold());
        assertThat(r.breakerOpenDelay()).isEqualTo(ResilienceConfig.defaults().breakerOpenDelay());
        assertThat(r.maxInputBytes()).isEqualTo(ResilienceConfig.ONE_MIB);
    }

    @Test
    void givenEverySet_whenTheRunnerIsConfigured_thenEachValueIsUsed() {
        RunnerConfig config = Settings.fromEnvironment(Map.of(
                "WORKFLOW_LEASE_DURATION", "PT45S",
                "WORKFLOW_RETRY_INITIAL_DELAY", "250",
                "WORKFLOW_RETRY_MAX_DELAY", "PT1M",
                "WORKFLOW_STEP_TIMEOUT", "PT10S",
                "WORKFLOW_BREAKER_FAILURES", "3",
                "WORKFLOW_BREAKER_OPEN", "PT2M",
                "WORKFLOW_MAX_INPUT_BYTES", "0",
                "WORKFLOW_MAX_CONCURRENT", "16")).runnerConfig();

        assertThat(config.leaseDuration()).isEqualTo(Duration.ofSeconds(45));
        assertThat(config.retryInitialDelay()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.retryMaxDelay()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.maxConcurrent()).isEqualTo(16);
        assertThat(config.resilience().defaultStepTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.resilience().breakerFailureThreshold()).isEqualTo(3);
        assertThat(config.resilience().breakerOpenDelay()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.resilience().maxInputBytes()).isZero();
    }

    @Test
    void givenHistoryLimitZeroOrNegative_whenRead_thenZeroTurnsHistoryOffAndNegativeIsRefused() {
        assertThat(Settings.fromEnvironment(Map.of()).historyLimit()).isEqualTo(1_000);
        assertThat(Settings.fromEnvironment(Map.of("WORKFLOW_HISTORY_LIMIT", "0")).historyLimit()).isZero();
        assertThatThrownBy(() -> Settings.fromEnvironment(Map.of("WORKFLOW_HISTORY_LIMIT", "-1")))
                .hasMessageContaining("WORKFLOW_HISTORY_LIMIT='-1' is not a whole number of at least 0");
    }

    @Test
    void givenBadValues_whenRead_thenEachIsRefusedNamingKeyAndValue() {
        assertThatThrownBy(() -> Settings.fromEnvironment(Map.of("WORKFLOW_STEP_TIMEOUT", "-5")))
                .hasMessageContaining("WORKFLOW_STEP_TIMEOUT='-5'");
        assertThatThrownBy(() -> Settings.fromEnvironment(Map.of("WORKFLOW_BREAKER_FAILURES", "0")))
                .hasMessageContaining("WORKFLOW_BREAKER_FAILURES='0'");
        assertThatThrownBy(() -> Settings.fromEnvironment(Map.of("WORKFLOW_MAX_INPUT_BYTES", "1MB")))
                .hasMessageContaining("WORKFLOW_MAX_INPUT_BYTES='1MB'");
        assertThatThrownBy(() -> Settings.fromEnvironment(Map.of("WORKFLOW_RETRY_INITIAL_DELAY", "PT10M", "WORKFLOW_RETRY_MAX_DELAY", "PT1M")))
                .hasMessageContaining("WORKFLOW_RETRY_MAX_DELAY='PT1M' is shorter than WORKFLOW_RETRY_INITIAL_DELAY");
    }
}
