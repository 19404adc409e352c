package net.reactory.workflow.application.port.in;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** What the edges keep of a caller's W3C trace headers: a valid traceparent, a bounded tracestate, nothing malformed. */
class TraceHeadersTest {

    private static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void givenValidTraceparentAndTracestate_whenRead_thenBothKept() {
        assertThat(TraceHeaders.of(" " + VALID + " ", "congo=t61rcWkgMzE"))
                .isEqualTo(Map.of("traceparent", VALID, "tracestate", "congo=t61rcWkgMzE"));
    }

    @Test
    void givenMalformedOrAllZeroOrVersionFfTraceparent_whenRead_thenNothingKeptNotEvenTheTracestate() {
        assertThat(TraceHeaders.of("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7", "a=b")).isEmpty();
        assertThat(TraceHeaders.of("00-00000000000000000000000000000000-00f067aa0ba902b7-01", null)).isEmpty();
        assertThat(TraceHeaders.of("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", null)).isEmpty();
        assertThat(TraceHeaders.of("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", null)).isEmpty();
        assertThat(TraceHeaders.of("00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01", null)).isEmpty();
        assertThat(TraceHeaders.of(VALID + "-extra", null)).as("version 00 has exactly four fields").isEmpty();
        assertThat(TraceHeaders.of(null, "a=b")).isEmpty();
    }

    @Test
    void givenFutureVersionWithMoreFields_whenRead_thenKept() {
        String future = "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-more";
        assertThat(TraceHeaders.of(future, null)).isEqualTo(Map.of("traceparent", future));
    }

    @Test
    void givenOversizedTracestate_whenRead_thenOnlyTheTraceparentKept() {
        assertThat(TraceHeaders.of(VALID, "k=" + "v".repeat(TraceHeaders.MAX_TRACESTATE))).isEqualTo(Map.of("traceparent", VALID));
    }
}
