package net.reactory.workflow.bootstrap.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the process has spent so far, read at the start and the end of a measured part: CPU time (every thread), the
 * part of it the JIT compiler threads and the collector's threads spent, and the bytes every thread allocated. The
 * allocation is the figure machine noise does not move at all, so an A/B of it needs no alternation; the collector's
 * share says how much of a run's CPU is paid for the heap rather than for the engine's code.
 *
 * <p>The thread shares are read from {@code /proc/self/task/<tid>/stat}: Linux only, and threads that ended are not
 * counted ({@code -1} when {@code /proc} cannot be read at all).
 *
 * @param cpuNanos       process CPU time
 * @param jitNanos       CPU time of the JIT compiler threads ({@code C1 CompilerThre…}, {@code C2 CompilerThre…})
 * @param collectorNanos CPU time of the collector's threads (G1's, Parallel's, ZGC's and Shenandoah's)
 * @param allocatedBytes bytes allocated by every thread (virtual threads count on their carriers)
 */
record ProcessCost(long cpuNanos, long jitNanos, long collectorNanos, long allocatedBytes) {

    private static final Path TASKS = Path.of("/proc/self/task");
    /** USER_HZ, as good as always 100 on Linux. */
    private static final long TICK_NANOS = 10_000_000L;
    private static final List<String> JIT = List.of("C1 Compiler", "C2 Compiler");
    private static final List<String> COLLECTOR = List.of("GC Thread", "G1 ", "ZWorker", "ZDriver", "ZDirector", "Shenandoah");

    static ProcessCost now() {
        long[] ticks = threadTicks();
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        return new ProcessCost(processCpuNanos(), ticks == null ? -1 : ticks[0] * TICK_NANOS,
                ticks == null ? -1 : ticks[1] * TICK_NANOS, threads.getTotalThreadAllocatedBytes());
    }

    /** The process's CPU time alone, without the walk of {@code /proc}: for a bench that needs no more. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** What was spent between {@code earlier} and this reading; a share not known at either end stays unknown. */
    ProcessCost since(ProcessCost earlier) {
        return new ProcessCost(cpuNanos - earlier.cpuNanos, known(jitNanos, earlier.jitNanos), known(collectorNanos, earlier.collectorNanos),
                allocatedBytes < 0 || earlier.allocatedBytes < 0 ? -1 : allocatedBytes - earlier.allocatedBytes);
    }

    private static long known(long now, long before) {
        return now < 0 || before < 0 ? -1 : now - before;
    }

    /** The JIT's and the collector's ticks so far, or null when {@code /proc} cannot be read. */
    private static long[] threadTicks() {
        long[] ticks = new long[2];
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    int group = startsWithAny(name, JIT) ? 0 : startsWithAny(name, COLLECTOR) ? 1 : -1;
                    if (group < 0) continue;
                    String stat = Files.readString(task.resolve("stat"));
                    // After the command's closing parenthesis: state is field 3, utime and stime are fields 14 and 15.
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks[group] += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                } catch (IOException | RuntimeException gone) {
                    // A compiler thread may come and go (they are started and stopped as the queue needs).
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return ticks;
    }

    private static boolean startsWithAny(String name, List<String> prefixes) {
        for (String p : prefixes) if (name.startsWith(p)) return true;
        return false;
    }
}
