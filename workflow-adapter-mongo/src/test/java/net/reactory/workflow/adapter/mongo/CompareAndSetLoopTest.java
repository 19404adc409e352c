package net.reactory.workflow.adapter.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.application.port.out.StoreUnavailableException;

class CompareAndSetLoopTest {

    @Test
    void givenARaceLostTwice_whenRun_thenTheThirdTryAnswers() {
        AtomicInteger tries = new AtomicInteger();

        String answer = CompareAndSetLoop.run("a claim", "i-1", () -> tries.incrementAndGet() < 3 ? null : "claimed");

        assertThat(answer).isEqualTo("claimed");
        assertThat(tries).hasValue(3);
    }

    @Test
    void givenADocumentThatKeepsChanging_whenRun_thenGivesUpAfterTheBoundWithATypedPassingFailure() {
        AtomicInteger tries = new AtomicInteger();

        assertThatThrownBy(() -> CompareAndSetLoop.run("a lease renewal", "i-2", () -> {
            tries.incrementAndGet();
            return null;
        }))
                .isInstanceOf(CompareAndSetExhaustedException.class)
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("a lease renewal of instance i-2")
                .hasMessageContaining(CompareAndSetLoop.MAX_ATTEMPTS + " compare-and-set attempts");
        assertThat(tries).hasValue(CompareAndSetLoop.MAX_ATTEMPTS);
    }
}
