package net.reactory.workflow.application.port.in;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogSafeTest {

    @Test
    void givenAReasonWithANewline_whenMadeLogSafe_thenTheForgedLineStaysOnTheSameLine() {
        String safe = LogSafe.of("maintenance\n2026-01-31T12:00:00.000+0000 [main] [ERROR] Audit - admin token leaked\r\n");

        assertThat(safe).doesNotContain("\n").doesNotContain("\r")
                .isEqualTo("maintenance\\n2026-01-31T12:00:00.000+0000 [main] [ERROR] Audit - admin token leaked\\r\\n");
    }

    @Test
    void givenTerminalEscapesAndOtherControls_whenMadeLogSafe_thenEachIsWrittenAsItsEscape() {
        assertThat(LogSafe.of("\u001b[2J\u0000\t\u007f\u0085\u2028x")).isEqualTo("\\u001b[2J\\u0000\\t\\u007f\\u0085\\u2028x");
    }

    @Test
    void givenAHugeValue_whenMadeLogSafe_thenItIsCutAndTheRestCounted() {
        String safe = LogSafe.of("a".repeat(1_000_000));

        assertThat(safe.length()).isLessThan(LogSafe.MAX_CHARS + 40);
        assertThat(safe.substring(LogSafe.MAX_CHARS)).isEqualTo("...(" + (1_000_000 - LogSafe.MAX_CHARS) + " more characters)");
        assertThat(LogSafe.of("\n".repeat(100_000))).hasSizeLessThan(LogSafe.MAX_CHARS + 40).startsWith("\\n\\n");
    }

    @Test
    void givenAPlainShortValue_whenMadeLogSafe_thenItIsReturnedAsItIs() {
        String plain = "order 42 paid, über 3 € ✓";
        assertThat(LogSafe.of(plain)).isSameAs(plain);
        assertThat(LogSafe.of(null)).isEqualTo("null");
    }
}
