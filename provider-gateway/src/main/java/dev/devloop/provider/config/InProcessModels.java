package dev.devloop.provider.config;

/**
 * The build-time switch of the parts that load native code in-process: llama.cpp's JNI library (the {@code local}
 * chat provider, {@code adapters.out.llama}) and the ONNX runtime with the all-MiniLM-L6-v2 model (the {@code local}
 * embeddings, {@code adapters.out.local}). {@value #BUILD_PROPERTY} is {@code true} unless set (the JVM build); the
 * {@code native} Maven profile sets it to {@code false}, so the native image is built without them and
 * {@code local} is served by OpenAI-compatible servers instead ({@code adapters.out.langchain.openai.RemoteLocal*},
 * {@code devloop.provider.local.base-url} and {@code .embeddings-base-url}). Both are selected with
 * {@code @IfBuildProperty}: exactly one bean of each kind exists in any build.
 */
public final class InProcessModels {
    /** A build-time property (the Quarkus Maven plugin passes the Maven property of the same name to the build). */
    public static final String BUILD_PROPERTY = "devloop.build.in-process-models";

    private InProcessModels() {}
}
