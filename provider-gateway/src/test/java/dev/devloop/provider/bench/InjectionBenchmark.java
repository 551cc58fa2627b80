package dev.devloop.provider.bench;

import dev.devloop.provider.domain.InjectionHeuristics;
import dev.devloop.provider.domain.InjectionScore;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Measures the built-in prompt-injection detector on the corpus ({@link InjectionCorpus}): detection rate on
 * the injection strings (overall, per encoding, per category) and false-positive rate on the ordinary prompts
 * (overall and per category: chat, tool output, retrieved document), at a threshold (default 0.5, the
 * gateway's default {@code devloop.provider.safety.injection-threshold}). Plain Java, no Quarkus:
 * <pre>
 * cd /work/main &amp;&amp; ./mvnw -B -o -q -pl provider-gateway test-compile \
 *   &amp;&amp; java -cp provider-gateway/target/classes:provider-gateway/target/test-classes \
 *        dev.devloop.provider.bench.InjectionBenchmark [threshold] [--misses]
 * </pre>
 * {@code --misses} also lists the injections not detected and the ordinary prompts flagged.
 */
public final class InjectionBenchmark {

    private InjectionBenchmark() {}

    public static void main(String[] args) {
        double threshold = 0.5;
        boolean misses = false;
        for (String a : args) {
            if (a.equals("--misses")) {
                misses = true;
            } else {
                threshold = Double.parseDouble(a);
            }
        }
        List<InjectionCorpus.Sample> injections = InjectionCorpus.injections();
        List<InjectionCorpus.Sample> benign = InjectionCorpus.benign();
        System.out.printf(
                Locale.ROOT,
                "built-in injection detector (%d rules), threshold %.2f%n",
                InjectionHeuristics.rules().size(),
                threshold);
        System.out.printf(
                Locale.ROOT,
                "%nDETECTION on %d injection strings: %s%n",
                injections.size(),
                rate(injections, threshold, true));
        table("by encoding", injections, InjectionCorpus.Sample::encoding, threshold, true);
        table("by category", injections, InjectionCorpus.Sample::category, threshold, true);
        System.out.printf(
                Locale.ROOT,
                "%nFALSE POSITIVES on %d ordinary texts: %s%n",
                benign.size(),
                rate(benign, threshold, false));
        table("by category", benign, InjectionCorpus.Sample::category, threshold, false);
        List<InjectionCorpus.Sample> round2 = InjectionCorpus.injectionsRound2();
        List<InjectionCorpus.Sample> round2Benign = InjectionCorpus.benignRound2();
        System.out.printf(
                Locale.ROOT,
                "%nROUND 2 (held out for the first rules, then used to revise them):%n"
                        + "  detection on %d injection strings: %s%n  false positives on %d ordinary texts: %s%n",
                round2.size(),
                rate(round2, threshold, true),
                round2Benign.size(),
                rate(round2Benign, threshold, false));
        List<InjectionCorpus.Sample> heldInjections = InjectionCorpus.injectionsHoldout();
        List<InjectionCorpus.Sample> heldBenign = InjectionCorpus.benignHoldout();
        System.out.printf(
                Locale.ROOT,
                "%nHELD OUT (never used to tune the rules):%n  detection on %d injection strings: %s%n",
                heldInjections.size(),
                rate(heldInjections, threshold, true));
        table("by encoding", heldInjections, InjectionCorpus.Sample::encoding, threshold, true);
        System.out.printf(
                Locale.ROOT,
                "  false positives on %d ordinary texts: %s%n",
                heldBenign.size(),
                rate(heldBenign, threshold, false));
        long start = System.nanoTime();
        int rounds = 20;
        for (int i = 0; i < rounds; i++) {
            for (InjectionCorpus.Sample s : injections) {
                InjectionHeuristics.score(s.text());
            }
            for (InjectionCorpus.Sample s : benign) {
                InjectionHeuristics.score(s.text());
            }
        }
        double micros = (System.nanoTime() - start) / 1000.0 / (rounds * (injections.size() + benign.size()));
        System.out.printf(
                Locale.ROOT, "%nmean scoring time %.1f µs per text (this run, this machine; not a bound)%n", micros);
        final double t = threshold;
        if (misses) {
            List<InjectionCorpus.Sample> allInjections = new java.util.ArrayList<>(injections);
            allInjections.addAll(round2);
            allInjections.addAll(heldInjections);
            List<InjectionCorpus.Sample> allBenign = new java.util.ArrayList<>(benign);
            allBenign.addAll(round2Benign);
            allBenign.addAll(heldBenign);
            System.out.println("\nNOT DETECTED:");
            allInjections.stream()
                    .filter(s -> InjectionHeuristics.score(s.text()).score() < t)
                    .forEach(s -> System.out.printf("  [%s/%s] %s%n", s.category(), s.encoding(), oneLine(s.text())));
            System.out.println("FLAGGED ORDINARY:");
            for (InjectionCorpus.Sample s : allBenign) {
                InjectionScore score = InjectionHeuristics.score(s.text());
                if (score.score() >= t) {
                    System.out.printf(
                            Locale.ROOT,
                            "  [%s] %.2f %s %s%n",
                            s.category(),
                            score.score(),
                            score.signals(),
                            oneLine(s.text()));
                }
            }
        }
    }

    private static String oneLine(String s) {
        String t = s.replace("\n", "\\n");
        return t.length() > 110 ? t.substring(0, 110) + "…" : t;
    }

    private static void table(
            String title,
            List<InjectionCorpus.Sample> samples,
            Function<InjectionCorpus.Sample, String> key,
            double threshold,
            boolean detection) {
        Map<String, List<InjectionCorpus.Sample>> groups = new TreeMap<>();
        samples.forEach(s -> groups.computeIfAbsent(key.apply(s), k -> new java.util.ArrayList<>())
                .add(s));
        System.out.println("  " + title + ":");
        groups.forEach((k, v) -> System.out.printf(Locale.ROOT, "    %-16s %s%n", k, rate(v, threshold, detection)));
    }

    /** "n/m = p %" of samples at or above the threshold. */
    static String rate(List<InjectionCorpus.Sample> samples, double threshold, boolean detection) {
        long hit = samples.stream()
                .filter(s -> InjectionHeuristics.score(s.text()).score() >= threshold)
                .count();
        return String.format(Locale.ROOT, "%d/%d = %.1f %%", hit, samples.size(), 100.0 * hit / samples.size());
    }
}
