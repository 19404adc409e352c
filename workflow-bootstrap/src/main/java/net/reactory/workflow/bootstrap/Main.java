package net.reactory.workflow.bootstrap;

import net.reactory.workflow.bootstrap.cli.WorkflowRunnerCli;

/**
 * {@code java -jar workflow-runner.jar [COMMAND]}: {@code run} (the default) runs the daemon until SIGTERM or
 * SIGINT, then stops gracefully and exits 0; the other commands drive a running daemon; {@code bench} runs
 * the benchmarks. {@code --help} lists them.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        Daemon.quietGuice();
        System.exit(WorkflowRunnerCli.execute(args));
    }
}
