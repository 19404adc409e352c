package net.reactory.workflow.bootstrap.cli;

import java.util.List;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import net.reactory.workflow.bootstrap.bench.BenchCommand;

/** {@code java -jar workflow-runner.jar [COMMAND]}: the daemon and the commands that drive it. */
@Command(name = "workflow-runner", mixinStandardHelpOptions = true, version = "workflow-runner 0.1.0",
        description = "A durable workflow engine: run the daemon, or drive a running one through its admin API.",
        subcommands = {RunCommand.class, ClientCommands.Start.class, ClientCommands.Status.class, ClientCommands.ListInstances.class,
                ClientCommands.Suspend.class, ClientCommands.Resume.class, ClientCommands.Terminate.class,
                ClientCommands.PublishEvent.class, ClientCommands.Definitions.class, CommandLine.HelpCommand.class},
        footer = {"", "  bench     run the benchmarks (see docs/benchmarks.md)", "",
                "Exit codes: 0 ok, 1 error, 2 usage or configuration, 3 not found, 4 refused (400/405/409/413/422/501),",
                "5 unauthorized, 6 daemon unreachable or unavailable (503), 7 start --wait: instance failed, terminated or not done in time."})
public final class WorkflowRunnerCli {

    private WorkflowRunnerCli() {
    }

    /** Runs the command line and returns the exit code; no command (nothing, or {@code run}'s options) means {@code run}. */
    public static int execute(String... args) {
        if (args.length == 0 || isRunOption(args[0])) {
            String[] run = new String[args.length + 1];
            run[0] = "run";
            System.arraycopy(args, 0, run, 1, args.length);
            args = run;
        }
        if (args[0].equals("bench")) {
            String[] rest = new String[args.length - 1];
            System.arraycopy(args, 1, rest, 0, rest.length);
            return BenchCommand.run(rest);
        }
        CommandLine commandLine = new CommandLine(new WorkflowRunnerCli());
        commandLine.getCommandSpec().exitCodeOnInvalidInput(ExitCodes.USAGE);
        commandLine.getCommandSpec().exitCodeOnExecutionException(ExitCodes.ERROR);
        return commandLine.execute(args);
    }

    /** An option but the top level's own ({@code --help}, {@code --version}): the bare jar is {@code run}. */
    private static boolean isRunOption(String arg) {
        return arg.startsWith("-") && !List.of("-h", "--help", "-V", "--version").contains(arg);
    }
}
