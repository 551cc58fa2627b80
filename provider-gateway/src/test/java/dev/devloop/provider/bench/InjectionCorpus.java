package dev.devloop.provider.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The prompt-injection test corpus in {@code src/test/resources/injection}: {@code injections.tsv}
 * (category, encoding, text) and {@code benign.tsv} (category, text), which the rules were tuned on; the
 * second round {@code injections-round2.tsv} and {@code benign-round2.tsv} (held out for the first rules, then
 * used to revise them); and the held-out {@code injections-holdout.tsv} and {@code benign-holdout.tsv}, written
 * before that revision and never used to tune; {@code \n}, {@code \t} and {@code \\}
 * are escaped, lines starting with {@code #} are comments.
 */
public final class InjectionCorpus {
    /** One sample: its category, its encoding ({@code ordinary} for benign samples) and its text. */
    public record Sample(String category, String encoding, String text) {}

    private InjectionCorpus() {}

    public static List<Sample> injections() {
        return read("/injection/injections.tsv", true);
    }

    public static List<Sample> benign() {
        return read("/injection/benign.tsv", false);
    }

    /** The second tuning round: held out for the first rules, then used to revise them. */
    public static List<Sample> injectionsRound2() {
        return read("/injection/injections-round2.tsv", true);
    }

    /** Ordinary texts of the second tuning round. */
    public static List<Sample> benignRound2() {
        return read("/injection/benign-round2.tsv", false);
    }

    /** Injection strings written before the last revision of the rules, never used to tune them. */
    public static List<Sample> injectionsHoldout() {
        return read("/injection/injections-holdout.tsv", true);
    }

    /** Ordinary texts written before the last revision of the rules, never used to tune them. */
    public static List<Sample> benignHoldout() {
        return read("/injection/benign-holdout.tsv", false);
    }

    private static List<Sample> read(String resource, boolean withEncoding) {
        List<Sample> out = new ArrayList<>();
        try (InputStream in = InjectionCorpus.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("corpus " + resource + " is not on the classpath");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", withEncoding ? 3 : 2);
                out.add(
                        withEncoding
                                ? new Sample(f[0], f[1], unescape(f[2]))
                                : new Sample(f[0], "ordinary", unescape(f[1])));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static String unescape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                sb.append(n == 'n' ? '\n' : n == 't' ? '\t' : n);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
