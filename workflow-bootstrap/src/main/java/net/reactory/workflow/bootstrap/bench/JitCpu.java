package net.reactory.workflow.bootstrap.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of the JIT compiler threads so far ({@code C1 CompilerThre…}, {@code C2 CompilerThre…}), from
 * {@code /proc/self/task/<tid>/stat}: how much of a run's process CPU is the JVM compiling the engine and the driver
 * rather than running them. Linux only; elsewhere, and for threads that ended, nothing is counted ({@code -1} when
 * {@code /proc} cannot be read at all).
 */
final class JitCpu {

    private static final Path TASKS = Path.of("/proc/self/task");
    /** USER_HZ, as good as always 100 on Linux. */
    private static final long TICK_NANOS = 10_000_000L;

    private JitCpu() {
    }

    static long nanos() {
        long ticks = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    if (!name.startsWith("C1 Compiler") && !name.startsWith("C2 Compiler")) continue;
                    String stat = Files.readString(task.resolve("stat"));
                    // After the command's closing parenthesis: state is field 3, utime and stime are fields 14 and 15.
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                } catch (IOException | RuntimeException gone) {
                    // A compiler thread may come and go (they are started and stopped as the queue needs).
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return ticks * TICK_NANOS;
    }
}
