package dev.devloop.knowledge.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntSupplier;

/** The driver-only probes' shared loop: variants alternating per document, then each variant's p50 and p99. */
final class ProbeRuns {
    private ProbeRuns() {}

    /**
     * Runs every variant once per document, the first one rotating so each sees the same load, with {@code doc[0]}
     * set to the document's number; fills {@code nanos[variant][document]}.
     */
    static void alternate(List<IntSupplier> variants, int[] doc, long[][] nanos) {
        int docs = nanos[0].length;
        for (int d = 0; d < docs; d++) {
            doc[0] = d;
            for (int k = 0; k < variants.size(); k++) {
                int v = (k + d) % variants.size();
                long t0 = System.nanoTime();
                variants.get(v).getAsInt();
                nanos[v][d] = System.nanoTime() - t0;
            }
        }
    }

    /** One line per variant: {@code <prefix> <name> p50 … ms  p99 … ms}, the name padded to {@code width}. */
    static void printPercentiles(String prefix, int width, String[] names, long[][] nanos) {
        for (int k = 0; k < names.length; k++) {
            long[] s = nanos[k].clone();
            Arrays.sort(s);
            System.out.printf(
                    Locale.ROOT,
                    "%s %-" + width + "s p50 %7.2f ms  p99 %7.2f ms%n",
                    prefix,
                    names[k],
                    s[s.length / 2] / 1e6,
                    s[Math.min(s.length - 1, (int) Math.ceil(s.length * 0.99) - 1)] / 1e6);
        }
    }
}
