package dev.devloop.knowledge.support;

import dev.devloop.knowledge.ports.out.EmbeddingPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Test embedding: bag of lower-cased words hashed into 384 buckets, L2-normalised; records every call. */
public class HashingEmbeddings implements EmbeddingPort {
    public final List<List<String>> calls = new ArrayList<>();

    @Override
    public List<float[]> embed(String tenant, List<String> texts) {
        calls.add(List.copyOf(texts));
        List<float[]> out = new ArrayList<>();
        for (String text : texts) {
            float[] v = new float[384];
            for (String w : text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
                if (!w.isEmpty()) {
                    v[Math.floorMod(w.hashCode(), 384)] += 1;
                }
            }
            double norm = 0;
            for (float f : v) {
                norm += f * f;
            }
            for (int i = 0; i < v.length && norm > 0; i++) {
                v[i] /= (float) Math.sqrt(norm);
            }
            out.add(v);
        }
        return out;
    }

    @Override
    public int dimensions() {
        return 384;
    }

    /** A vector space of its own (hashed words are no model's vectors). */
    @Override
    public String model() {
        return "test-hashing";
    }
}
