package dev.devloop.knowledge.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One way to time a benchmark row, shared by the benchmarks that print a p50 / p99 / ops/s table: a few warm-up
 * calls, then up to {@code rounds} timed calls, stopping when the row's budget is spent. Each benchmark keeps its own
 * row format (column widths), so its table prints as before.
 */
final class BenchRows {
    interface Op {
        void run(int i);
    }

    record Stats(double p50, double p99, double opsPerSecond) {}

    private final int rounds;
    private final int warmUp;
    private final long budgetNanos;
    private final String rowFormat;

    /** {@code rowFormat} formats name, p50 ms, p99 ms and ops/s, e.g. {@code "%-34s %10.3f %10.3f %12.0f%n"}. */
    BenchRows(int rounds, int warmUp, long budgetNanos, String rowFormat) {
        this.rounds = rounds;
        this.warmUp = warmUp;
        this.budgetNanos = budgetNanos;
        this.rowFormat = rowFormat;
    }

    Stats measure(String name, Op op) {
        for (int i = 0; i < Math.min(warmUp, rounds); i++) {
            op.run(i);
        }
        List<Long> times = new ArrayList<>(rounds);
        long begin = System.nanoTime();
        for (int i = 0; i < rounds && System.nanoTime() - begin < budgetNanos; i++) {
            long t0 = System.nanoTime();
            op.run(i);
            times.add(System.nanoTime() - t0);
        }
        long total = System.nanoTime() - begin;
        long[] sorted = times.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        Stats stats = new Stats(
                sorted[sorted.length / 2] / 1e6,
                sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1e6,
                sorted.length / (total / 1e9));
        System.out.printf(Locale.ROOT, rowFormat, name, stats.p50, stats.p99, stats.opsPerSecond);
        return stats;
    }

    static void ratio(String name, double a, double b) {
        System.out.printf(Locale.ROOT, "  %-46s %8.2fx%n", name, a / b);
    }
}
