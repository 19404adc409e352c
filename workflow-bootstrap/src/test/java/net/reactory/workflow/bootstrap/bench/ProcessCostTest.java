package net.reactory.workflow.bootstrap.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessCostTest {

    @Test
    void givenAReadingBeforeAllocating_whenReadAgain_thenTheDifferenceCountsTheBytesAllocatedAndTheCpuSpent() {
        ProcessCost before = ProcessCost.now();
        long[][] kept = new long[64][];
        for (int i = 0; i < kept.length; i++) kept[i] = new long[16 * 1024]; // 128 KiB each, 8 MiB in all
        // The process's CPU clock may move in ticks of 10 ms: work until it has moved, within a deadline.
        long deadline = System.nanoTime() + 5_000_000_000L;
        long work = 0;
        while (ProcessCost.processCpuNanos() == before.cpuNanos() && System.nanoTime() < deadline) work += Long.bitCount(work + 1);
        ProcessCost spent = ProcessCost.now().since(before);

        assertThat(kept[kept.length - 1]).hasSize(16 * 1024);
        assertThat(work).isNotNegative();
        assertThat(spent.allocatedBytes()).isGreaterThanOrEqualTo(64L * 16 * 1024 * Long.BYTES);
        assertThat(spent.cpuNanos()).isPositive();
    }

    @Test
    void givenAShareNotKnownAtOneEnd_whenSubtracted_thenItStaysUnknownRatherThanWrong() {
        ProcessCost earlier = new ProcessCost(1_000, -1, 50, 10);
        ProcessCost later = new ProcessCost(3_000, 700, 80, 40);

        ProcessCost spent = later.since(earlier);

        assertThat(spent).isEqualTo(new ProcessCost(2_000, -1, 30, 30));
    }
}
