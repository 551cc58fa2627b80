package dev.devloop.knowledge.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.devloop.knowledge.domain.TextSplitter;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How a document's chunk embeddings are best run on the ONNX session (issue 16 goal 5, stop 32), not part of {@code
 * verify}: the token counts of the ingest probe's document (2 chunks) and of a 7-chunk one, then per document,
 * alternating which variant goes first, on three 2-thread sessions like {@code LocalEmbeddings}': the chunks as padded
 * pairs (session A, {@code local-inference-batch=2}), one run per chunk (session B, {@code =1}), one run per chunk with
 * ONNX Runtime's memory pattern off (session C); and a short query (3–9 words, its length changing per document) on each
 * session, as hybrid search runs it on the same session. Prints p50/p99 ms and the load average; asserts only that
 * every variant gives a vector per text.
 *
 * <p>{@code cd knowledge-service && ../mvnw -B -o test -Dtest=EmbeddingProbeBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false -Dbench.docs=60}
 */
class EmbeddingProbeBenchmark {
    private static final int DOCS = Math.max(10, Math.min(500, Integer.getInteger("bench.docs", 60)));

    @Test
    void probe() throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        byte[] model;
        HuggingFaceTokenizer tokenizer;
        try (InputStream m = AllMiniLmL6V2EmbeddingModel.class.getResourceAsStream("/all-minilm-l6-v2.onnx");
                InputStream t =
                        AllMiniLmL6V2EmbeddingModel.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
            model = m.readAllBytes();
            tokenizer = HuggingFaceTokenizer.newInstance(t, Map.of("padding", "false"));
        }
        OrtSession two = session(env, model, 2, true);
        OrtSession twoAlone = session(env, model, 2, true);
        OrtSession noPattern = session(env, model, 2, false);
        TextSplitter splitter = new TextSplitter(800, 100);
        try {
            for (int shape = 0; shape < 2; shape++) {
                int paragraphs = shape == 0 ? 12 : 40;
                List<String> sample = splitter.split(IngestProbeBenchmark.document(0, paragraphs));
                List<Integer> tokens = new ArrayList<>();
                for (String s : sample) {
                    tokens.add(tokenizer.encode(s, true, false).getIds().length);
                }
                System.out.printf(
                        Locale.ROOT,
                        "%n=== embedding probe: %d chunks, tokens %s, %d documents, load %s ===%n",
                        sample.size(),
                        tokens,
                        DOCS,
                        IngestProbeBenchmark.load());
                String[] names = {
                    "padded pairs (session A)",
                    "per chunk (session B)",
                    "per chunk, no mem pattern (C)",
                    "query on A",
                    "query on B",
                    "query on C"
                };
                long[][] t = new long[names.length][DOCS];
                for (int w = 0; w < 5; w++) {
                    run(env, two, tokenizer, sample);
                    perChunk(env, twoAlone, tokenizer, sample);
                    perChunk(env, noPattern, tokenizer, sample);
                }
                for (int d = 0; d < DOCS; d++) {
                    List<String> chunks = splitter.split(IngestProbeBenchmark.document(d, paragraphs));
                    List<String> query = List.of(query(d));
                    for (int k = 0; k < names.length; k++) {
                        int v = (k + d) % names.length;
                        long t0 = System.nanoTime();
                        int vectors =
                                switch (v) {
                                    case 0 -> run(env, two, tokenizer, chunks);
                                    case 1 -> perChunk(env, twoAlone, tokenizer, chunks);
                                    case 2 -> perChunk(env, noPattern, tokenizer, chunks);
                                    case 3 -> run(env, two, tokenizer, query);
                                    case 4 -> run(env, twoAlone, tokenizer, query);
                                    default -> run(env, noPattern, tokenizer, query);
                                };
                        t[v][d] = System.nanoTime() - t0;
                        assertEquals(v < 3 ? chunks.size() : 1, vectors, names[v]);
                    }
                }
                for (int k = 0; k < names.length; k++) {
                    long[] s = t[k].clone();
                    Arrays.sort(s);
                    System.out.printf(
                            Locale.ROOT,
                            "embedding: %-28s p50 %7.2f ms  p99 %7.2f ms%n",
                            names[k],
                            s[s.length / 2] / 1e6,
                            s[Math.min(s.length - 1, (int) Math.ceil(s.length * 0.99) - 1)] / 1e6);
                }
            }
            System.out.printf(Locale.ROOT, "embedding: load after %s%n", IngestProbeBenchmark.load());
        } finally {
            two.close();
            twoAlone.close();
            noPattern.close();
            tokenizer.close();
        }
    }

    private static OrtSession session(OrtEnvironment env, byte[] model, int threads, boolean memPattern)
            throws Exception {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setMemoryPatternOptimization(memPattern);
        options.setIntraOpNumThreads(threads);
        options.setInterOpNumThreads(1);
        options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
        return env.createSession(model, options);
    }

    private static int perChunk(OrtEnvironment env, OrtSession s, HuggingFaceTokenizer tok, List<String> chunks)
            throws Exception {
        int n = 0;
        for (String c : chunks) {
            n += run(env, s, tok, List.of(c));
        }
        return n;
    }

    /** One padded run; returns the number of rows of the output. */
    private static int run(OrtEnvironment env, OrtSession s, HuggingFaceTokenizer tok, List<String> batch)
            throws Exception {
        int n = batch.size();
        long[][] ids = new long[n][];
        int longest = 0;
        for (int i = 0; i < n; i++) {
            ids[i] = tok.encode(batch.get(i), true, false).getIds();
            longest = Math.max(longest, ids[i].length);
        }
        long[] flat = new long[n * longest];
        long[] mask = new long[n * longest];
        for (int i = 0; i < n; i++) {
            System.arraycopy(ids[i], 0, flat, i * longest, ids[i].length);
            Arrays.fill(mask, i * longest, i * longest + ids[i].length, 1L);
        }
        long[] shape = {n, longest};
        try (OnnxTensor a = OnnxTensor.createTensor(env, LongBuffer.wrap(flat), shape);
                OnnxTensor b = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
                OnnxTensor c = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[n * longest]), shape);
                OrtSession.Result r = s.run(
                        s.getInputNames().contains("token_type_ids")
                                ? Map.of("input_ids", a, "attention_mask", b, "token_type_ids", c)
                                : Map.of("input_ids", a, "attention_mask", b))) {
            return (int) ((OnnxTensor) r.get(0)).getInfo().getShape()[0];
        }
    }

    /** A short query of 3 to 9 words, a different length and text per document (shared with the quantised probe). */
    static String query(int d) {
        String[] words = {"kafka", "ordering", "consumer", "group", "partition", "key", "offset", "replay", "lag"};
        StringBuilder q = new StringBuilder();
        for (int w = 0; w < 3 + d % 7; w++) {
            q.append(words[(d + w * 5) % words.length]).append(' ');
        }
        return q.append(d).toString();
    }
}
