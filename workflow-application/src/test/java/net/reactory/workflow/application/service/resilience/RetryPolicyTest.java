package net.reactory.workflow.application.service.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.application.service.ResilienceConfig;
import net.reactory.workflow.application.service.RunnerConfig;
import net.reactory.workflow.domain.definition.ErrorBehaviour;
import net.reactory.workflow.domain.definition.RetrySpec;
import net.reactory.workflow.domain.definition.StepDefinition;
import net.reactory.workflow.domain.definition.StepPolicy;

class RetryPolicyTest {

    private static StepDefinition step(RetrySpec spec) {
        return new StepDefinition(0, "Call", ctx -> null, StepDefinition.NONE, Map.of(), ErrorBehaviour.FAIL, 10,
                StepPolicy.NONE.withRetry(spec));
    }

    @Test
    void givenNoJitter_whenAttemptsFail_thenDelaysDoubleUpToTheCeiling() {
        RetryPolicy policy = new RetryPolicy(RunnerConfig.defaults().withResilience(ResilienceConfig.defaults().withRetryJitter(0)));
        StepDefinition s = step(RetrySpec.backoff(Duration.ofMillis(100), Duration.ofMillis(1000)));

        assertThat(policy.delayAfter(s, 1, "x", null)).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.delayAfter(s, 2, "x", null)).isEqualTo(Duration.ofMillis(200));
        assertThat(policy.delayAfter(s, 4, "x", null)).isEqualTo(Duration.ofMillis(800));
        assertThat(policy.delayAfter(s, 5, "x", null)).isEqualTo(Duration.ofMillis(1000));
        assertThat(policy.delayAfter(s, 60, "x", null)).isEqualTo(Duration.ofMillis(1000));
    }

    @Test
    void givenMultiplierThree_whenAttemptsFail_thenDelaysTriple() {
        RetryPolicy policy = new RetryPolicy(RunnerConfig.defaults().withResilience(ResilienceConfig.defaults().withRetryJitter(0)));
        StepDefinition s = step(RetrySpec.backoff(Duration.ofSeconds(1), Duration.ofMinutes(1)).withMultiplier(3));

        assertThat(policy.delayAfter(s, 3, "x", null)).isEqualTo(Duration.ofSeconds(9));
    }

    @Test
    void givenJitterOfAQuarter_when10000DelaysDrawn_thenAllWithinBoundsAndBothHalvesUsed() {
        RandomGenerator random = new SplittableRandom(42);
        RetryPolicy policy = new RetryPolicy(RunnerConfig.defaults().withResilience(ResilienceConfig.defaults().withRandom(random)));
        StepDefinition s = step(RetrySpec.backoff(Duration.ofSeconds(8), Duration.ofSeconds(9)).withJitter(0.25));
        int below = 0;
        int above = 0;
        for (int i = 0; i < 10_000; i++) {
            Duration d = policy.delayAfter(s, 1, "x", null);
            assertThat(d).isBetween(Duration.ofSeconds(6), Duration.ofSeconds(9));
            if (d.compareTo(Duration.ofSeconds(8)) < 0) below++;
            else above++;
        }
        assertThat(below).isBetween(4_000, 6_000);
        assertThat(above).isBetween(4_000, 6_000);
    }

    @Test
    void givenRetryOnIoErrors_whenOtherErrorOrFailType_thenNotRetried() {
        RetryPolicy policy = new RetryPolicy(RunnerConfig.defaults());
        StepDefinition s = step(RetrySpec.backoff(Duration.ofSeconds(1), Duration.ofSeconds(2)).retryOn(IOException.class).abortOnTypes("Fatal"));

        assertThat(policy.delayAfter(s, 1, IOException.class.getName(), new java.net.SocketTimeoutException())).isNotNull();
        assertThat(policy.delayAfter(s, 1, UncheckedIOException.class.getName(), new UncheckedIOException(new IOException()))).isNull();
        assertThat(policy.delayAfter(s, 1, "Fatal", null)).isNull();
        assertThat(policy.delayAfter(s, 1, IOException.class.getName(), null)).as("a Fail result typed as the class name").isNotNull();
    }

    @Test
    void givenBackoffAndJitterHelpers_whenExtremesOfTheDraw_thenExactBounds() {
        Duration base = RetryPolicy.backoff(Duration.ofMillis(250), Duration.ofSeconds(10), 2, 3);

        assertThat(base).isEqualTo(Duration.ofSeconds(1));
        assertThat(RetryPolicy.jittered(base, Duration.ofSeconds(10), 0.2, 0.0)).isEqualTo(Duration.ofMillis(800));
        assertThat(RetryPolicy.jittered(base, Duration.ofSeconds(10), 0.2, 0.5)).isEqualTo(Duration.ofSeconds(1));
        assertThat(RetryPolicy.jittered(base, Duration.ofMillis(1100), 0.2, 0.999)).isEqualTo(Duration.ofMillis(1100));
    }
}
