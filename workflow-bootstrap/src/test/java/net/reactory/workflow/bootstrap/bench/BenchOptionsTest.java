package net.reactory.workflow.bootstrap.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@code bench --history-limit}: what durable history costs is measured on one jar, history kept or not. */
class BenchOptionsTest {

    @Test
    void givenNoHistoryLimit_whenParsed_thenTheDaemonsDefaultIsKept() {
        assertThat(BenchOptions.parse(new String[0]).historyLimit()).isEqualTo(1_000);
    }

    @Test
    void givenHistoryLimitZero_whenParsed_thenNoHistoryIsKeptAndANegativeLimitIsRefused() {
        assertThat(BenchOptions.parse(new String[] {"--history-limit", "0"}).historyLimit()).isZero();
        assertThat(BenchOptions.parse(new String[] {"--history-limit", "5"}).historyLimit()).isEqualTo(5);
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--history-limit", "-1"}))
                .isInstanceOf(BenchOptions.UsageException.class).hasMessageContaining("--history-limit");
        assertThat(BenchOptions.USAGE).contains("--history-limit N");
    }
}
