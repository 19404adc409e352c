package net.reactory.workflow.bootstrap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The command line in-process: help of every command, the default command, bench dispatch and usage errors. */
class WorkflowRunnerCliTest {

    @Test
    void givenEachCommand_whenAskedForHelp_thenItPrintsItsUsageAndExitsZero() {
        for (String command : List.of("run", "start", "status", "list", "suspend", "resume", "terminate", "publish-event", "definitions")) {
            Captured c = capture(command, "--help");
            assertThat(c.exit()).as(command).isZero();
            assertThat(c.out()).as(command).contains("Usage: workflow-runner " + command).contains("--help");
        }
    }

    @Test
    void givenBench_whenDispatched_thenBenchCommandGetsTheRestOfTheArguments() {
        Captured c = capture("bench", "--no-such-bench-option");
        assertThat(c.exit()).isEqualTo(2);
        assertThat(c.err()).startsWith("bench: ");
    }

    @Test
    void givenMissingArgumentOrUnknownOption_whenRun_thenExitTwoWithTheUsage() {
        assertThat(capture("status").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(capture("list", "--limit", "many").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(capture("run", "--frobnicate").exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void givenRunOptionsWithoutACommand_whenRun_thenTheyAreRunsOptions() {
        Captured c = capture("--plugins-dir", "/nonexistent");
        assertThat(c.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(c.err()).doesNotContain("Unknown option").contains("WORKFLOW_PLUGINS_DIR='/nonexistent' is not a folder");
        assertThat(capture("--version").out()).contains("workflow-runner");
    }

    @Test
    void givenDataThatIsNotJson_whenStarting_thenExitTwoSayingWhereItBreaksWithoutJacksonsSourceDescription() {
        Captured c = capture("start", "demo.Order", "--url", "http://127.0.0.1:1", "--data", "not json");
        assertThat(c.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(c.err()).contains("--data is not valid JSON at line 1, column 1: Unrecognized token 'not'")
                .doesNotContain("Source:").doesNotContain("REDACTED");
        Captured multiLine = capture("publish-event", "paid", "o-1", "--url", "http://127.0.0.1:1", "--data", "{\n  \"amount\": 3,\n}");
        assertThat(multiLine.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(multiLine.err()).contains("--data is not valid JSON at line 3, column 1: Unexpected character");
    }

    @Test
    void givenDaemonStatuses_whenMapped_thenEachHasItsDocumentedExitCode() {
        assertThat(ExitCodes.forStatus(404)).isEqualTo(3);
        assertThat(List.of(400, 405, 409, 413, 422, 501)).allMatch(s -> ExitCodes.forStatus(s) == 4);
        assertThat(ExitCodes.forStatus(401)).isEqualTo(5);
        assertThat(ExitCodes.forStatus(503)).isEqualTo(6);
        assertThat(ExitCodes.forStatus(500)).isEqualTo(1);
    }

    record Captured(int exit, String out, String err) {
    }

    private static synchronized Captured capture(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int exit = WorkflowRunnerCli.execute(args);
            return new Captured(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
