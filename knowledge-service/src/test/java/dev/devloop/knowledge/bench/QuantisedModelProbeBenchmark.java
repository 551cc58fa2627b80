package dev.devloop.knowledge.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.devloop.knowledge.domain.TextSplitter;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * fp32 all-MiniLM-L6-v2 against its int8 dynamic quantisation ({@code all-minilm-l6-v2-q.onnx}, same tokenizer) for
 * issue 16 goal 5 (stop 33), not part of {@code verify}. Both run on a 2-thread, non-spinning session as {@code
 * LocalEmbeddings} runs them (one text per ONNX run, mean pooling, unit length).
 *
 * <ul>
 *   <li><b>speed</b>: per document (the ingest probe's 2-chunk document, one run per chunk) and per short query, p50/p99
 *       ms, the two models alternating which goes first, with the load average;
 *   <li><b>quality</b>: cosine(int8, fp32) of the same text over the repository's markdown (docs/*.md and the module
 *       READMEs split into the service's 800-character chunks) plus short queries: min, p1, p50;
 *   <li><b>retrieval</b>: the markdown headings as queries over those chunks, the top 5 by fp32 against the top 5 by
 *       int8 (overlap@5 mean and min, top-1 agreement).
 * </ul>
 *
 * <p>{@code cd knowledge-service && ../mvnw -B -o test -Dtest=QuantisedModelProbeBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false -Dbench.docs=60 -Dbench.texts=400}
 */
class QuantisedModelProbeBenchmark {
    private static final int DOCS = Math.max(10, Math.min(500, Integer.getInteger("bench.docs", 60)));
    private static final int TEXTS = Math.max(50, Math.min(2000, Integer.getInteger("bench.texts", 400)));
    private static final int QUERIES = Math.max(10, Math.min(500, Integer.getInteger("bench.queries", 100)));

    @Test
    void probe() throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        HuggingFaceTokenizer tokenizer;
        byte[] fp32;
        byte[] int8;
        try (InputStream m = resource("/all-minilm-l6-v2.onnx");
                InputStream q = resource("/all-minilm-l6-v2-q.onnx");
                InputStream t = resource("/all-minilm-l6-v2-tokenizer.json")) {
            fp32 = m.readAllBytes();
            int8 = q.readAllBytes();
            tokenizer = HuggingFaceTokenizer.newInstance(t, Map.of("padding", "false"));
        }
        OrtSession a = session(env, fp32);
        OrtSession b = session(env, int8);
        TextSplitter splitter = new TextSplitter(800, 100);
        try {
            speed(env, a, b, tokenizer, splitter);
            quality(env, a, b, tokenizer, splitter);
        } finally {
            a.close();
            b.close();
            tokenizer.close();
        }
    }

    private static void speed(
            OrtEnvironment env, OrtSession a, OrtSession b, HuggingFaceTokenizer tok, TextSplitter splitter)
            throws Exception {
        System.out.printf(
                Locale.ROOT,
                "%n=== quantised probe: speed, %d documents, load %s ===%n",
                DOCS,
                IngestProbeBenchmark.load());
        String[] names = {"document fp32", "document int8", "query fp32", "query int8"};
        long[][] t = new long[names.length][DOCS];
        List<String> warm = splitter.split(IngestProbeBenchmark.document(0, 12));
        for (int w = 0; w < 5; w++) {
            embed(env, a, tok, warm);
            embed(env, b, tok, warm);
        }
        for (int d = 0; d < DOCS; d++) {
            List<String> chunks = splitter.split(IngestProbeBenchmark.document(d, 12));
            List<String> query = List.of(EmbeddingProbeBenchmark.query(d));
            for (int k = 0; k < names.length; k++) {
                int v = (k + d) % names.length;
                long t0 = System.nanoTime();
                List<float[]> vectors =
                        switch (v) {
                            case 0 -> embed(env, a, tok, chunks);
                            case 1 -> embed(env, b, tok, chunks);
                            case 2 -> embed(env, a, tok, query);
                            default -> embed(env, b, tok, query);
                        };
                t[v][d] = System.nanoTime() - t0;
                assertEquals(v < 2 ? chunks.size() : 1, vectors.size(), names[v]);
            }
        }
        double[] p50 = new double[names.length];
        for (int k = 0; k < names.length; k++) {
            long[] s = t[k].clone();
            Arrays.sort(s);
            p50[k] = s[s.length / 2] / 1e6;
            System.out.printf(
                    Locale.ROOT,
                    "quantised: %-14s p50 %7.2f ms  p99 %7.2f ms%n",
                    names[k],
                    p50[k],
                    s[Math.min(s.length - 1, (int) Math.ceil(s.length * 0.99) - 1)] / 1e6);
        }
        System.out.printf(
                Locale.ROOT,
                "quantised: ratio fp32/int8 document %.2f×, query %.2f×; load after %s%n",
                p50[0] / p50[1],
                p50[2] / p50[3],
                IngestProbeBenchmark.load());
    }

    private static void quality(
            OrtEnvironment env, OrtSession a, OrtSession b, HuggingFaceTokenizer tok, TextSplitter splitter)
            throws Exception {
        List<String> chunks = new ArrayList<>();
        List<String> headings = new ArrayList<>();
        for (Path file : markdown()) {
            String text = Files.readString(file);
            for (String line : text.split("\n")) {
                String h = line.replaceFirst("^#+\\s*", "").trim();
                if (line.startsWith("#") && h.length() >= 12) {
                    headings.add(h);
                }
            }
            chunks.addAll(splitter.split(text));
        }
        List<String> corpus = spread(chunks, TEXTS);
        List<String> queries = spread(new ArrayList<>(new LinkedHashSet<>(headings)), QUERIES);
        assertTrue(corpus.size() >= 50, "markdown chunks found: " + corpus.size());
        List<String> texts = new ArrayList<>(corpus);
        for (int d = 0; d < 100; d++) {
            texts.add(EmbeddingProbeBenchmark.query(d));
        }
        texts.addAll(queries);
        List<float[]> fa = embed(env, a, tok, texts);
        List<float[]> fb = embed(env, b, tok, texts);
        double[] cos = IntStream.range(0, texts.size())
                .mapToDouble(i -> dot(fa.get(i), fb.get(i)))
                .sorted()
                .toArray();
        System.out.printf(
                Locale.ROOT,
                "%n=== quantised probe: quality, %d texts (%d chunks, %d short queries, %d headings), load %s ===%n",
                texts.size(),
                corpus.size(),
                100,
                queries.size(),
                IngestProbeBenchmark.load());
        System.out.printf(
                Locale.ROOT,
                "quantised: cosine(int8, fp32) min %.4f  p1 %.4f  p10 %.4f  p50 %.4f%n",
                cos[0],
                cos[(int) (cos.length * 0.01)],
                cos[(int) (cos.length * 0.10)],
                cos[cos.length / 2]);
        int n = corpus.size();
        int offset = n + 100;
        int overlapSum = 0;
        int overlapMin = 5;
        int top1 = 0;
        int[] hist = new int[6];
        for (int q = 0; q < queries.size(); q++) {
            List<Integer> ta = top5(fa.get(offset + q), fa.subList(0, n));
            List<Integer> tb = top5(fb.get(offset + q), fb.subList(0, n));
            Set<Integer> common = new LinkedHashSet<>(ta);
            common.retainAll(tb);
            overlapSum += common.size();
            overlapMin = Math.min(overlapMin, common.size());
            hist[common.size()]++;
            if (ta.get(0).equals(tb.get(0))) {
                top1++;
            }
        }
        System.out.printf(
                Locale.ROOT,
                "quantised: retrieval over %d chunks, %d heading queries: overlap@5 mean %.2f/5  min %d/5  "
                        + "histogram(0..5) %s  top-1 agreement %d/%d%n",
                n,
                queries.size(),
                overlapSum / (double) queries.size(),
                overlapMin,
                Arrays.toString(hist),
                top1,
                queries.size());
    }

    private static List<Integer> top5(float[] query, List<float[]> corpus) {
        return IntStream.range(0, corpus.size())
                .boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -dot(query, corpus.get(i))))
                .limit(5)
                .toList();
    }

    private static double dot(float[] x, float[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * y[i];
        }
        return s;
    }

    /** Every k-th element so that about {@code max} remain, spread over all files. */
    private static List<String> spread(List<String> all, int max) {
        if (all.size() <= max) {
            return all;
        }
        List<String> out = new ArrayList<>(max);
        for (int i = 0; i < max; i++) {
            out.add(all.get((int) ((long) i * all.size() / max)));
        }
        return out;
    }

    private static List<Path> markdown() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        try (Stream<Path> modules = Files.list(root)) {
            modules.map(p -> p.resolve("README.md"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .forEach(files::add);
        }
        return files;
    }

    private static OrtSession session(OrtEnvironment env, byte[] model) throws Exception {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(2);
        options.setInterOpNumThreads(1);
        options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
        return env.createSession(model, options);
    }

    /** One run per text, mean-pooled and normalised as LocalEmbeddings does. */
    private static List<float[]> embed(OrtEnvironment env, OrtSession s, HuggingFaceTokenizer tok, List<String> texts)
            throws Exception {
        List<float[]> out = new ArrayList<>(texts.size());
        boolean types = s.getInputNames().contains("token_type_ids");
        for (String text : texts) {
            long[] ids = tok.encode(text, true, false).getIds();
            long[] shape = {1, ids.length};
            long[] mask = new long[ids.length];
            Arrays.fill(mask, 1L);
            try (OnnxTensor x = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
                    OnnxTensor m = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
                    OnnxTensor y = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[ids.length]), shape);
                    OrtSession.Result r = s.run(
                            types
                                    ? Map.of("input_ids", x, "attention_mask", m, "token_type_ids", y)
                                    : Map.of("input_ids", x, "attention_mask", m))) {
                OnnxTensor hidden = (OnnxTensor) r.get(0);
                FloatBuffer values = hidden.getFloatBuffer();
                int dim = (int) hidden.getInfo().getShape()[2];
                float[] mean = new float[dim];
                for (int t = 0; t < ids.length; t++) {
                    for (int k = 0; k < dim; k++) {
                        mean[k] += values.get(t * dim + k);
                    }
                }
                double norm = 0;
                for (float v : mean) {
                    norm += v * v;
                }
                float scale = (float) (1 / Math.sqrt(norm));
                for (int k = 0; k < dim; k++) {
                    mean[k] *= scale;
                }
                out.add(mean);
            }
        }
        return out;
    }

    private static InputStream resource(String name) {
        InputStream in = AllMiniLmL6V2EmbeddingModel.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is missing from the classpath");
        }
        return in;
    }
}
