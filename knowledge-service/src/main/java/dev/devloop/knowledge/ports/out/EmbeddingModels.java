package dev.devloop.knowledge.ports.out;

/**
 * Ids of embedding vector spaces: every stored vector carries the id of the model that made it
 * ({@code embeddingModel}), and a search compares only vectors of the running model's id. An id names the space, not
 * the backend: the in-process fp32 model and provider-gateway's in-process twin (what the native build calls) give the
 * same vectors, so both are {@value #FP32}.
 */
public final class EmbeddingModels {
    /** fp32 all-MiniLM-L6-v2: the in-process model, and provider-gateway's default (its in-process twin). */
    public static final String FP32 = "all-minilm-l6-v2";

    /** int8 all-MiniLM-L6-v2 (in-process only): not comparable with {@value #FP32}. */
    public static final String INT8 = "all-minilm-l6-v2-q";

    /** Prefix of the id of any other model asked of provider-gateway: {@code gateway:<model>}. */
    public static final String GATEWAY_PREFIX = "gateway:";

    private EmbeddingModels() {}

    /**
     * The id of provider-gateway's {@code model}: {@value #FP32} when it is empty (the gateway's shipped default) or
     * {@value #FP32} itself; {@code gateway:<model>} otherwise.
     */
    public static String ofGateway(String model) {
        return model == null || model.isBlank() || model.equals(FP32) ? FP32 : GATEWAY_PREFIX + model;
    }
}
