package dev.devloop.provider.adapters.out.llama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.Pair;
import dev.devloop.contracts.logging.LogFields;
import dev.devloop.contracts.provider.ChatMessage;
import dev.devloop.contracts.provider.ToolCall;
import dev.devloop.contracts.provider.ToolSpec;
import dev.devloop.contracts.provider.Usage;
import dev.devloop.provider.config.InProcessModels;
import dev.devloop.provider.config.ProviderConfig;
import dev.devloop.provider.domain.FinishReason;
import dev.devloop.provider.domain.ProviderFailure;
import dev.devloop.provider.domain.Stages;
import dev.devloop.provider.ports.out.ChatProviderPort;
import dev.devloop.provider.ports.out.GenerateCommand;
import dev.devloop.provider.ports.out.ProviderAnswer;
import dev.devloop.provider.ports.out.StreamListener;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The {@code local} provider: a GGUF model run in-process on CPU by java-llama.cpp. Loaded lazily
 * on the first call; one inference at a time on one worker thread with a bounded queue (full →
 * {@code provider-busy}); closed on shutdown. The prompt is rendered by the model's own chat
 * template. With tools, the output is constrained by a JSON-schema grammar
 * ({@link LlamaModel#jsonSchemaToGrammar}) to {@code {"tool":<name>,"arguments":<its schema>}} (or,
 * with tool-choice {@code auto}, also {@code {"text":"…"}}) and parsed into a normal tool call.
 */
// in-process native code: left out of builds with devloop.build.in-process-models=false (the native image)
@IfBuildProperty(name = InProcessModels.BUILD_PROPERTY, stringValue = "true", enableIfMissing = true)
@Singleton
public class LocalChatProvider implements ChatProviderPort {
    private static final Logger LOG = Logger.getLogger(LocalChatProvider.class);

    public static final String NAME = "local";
    static final String PATH_SETTING = "DEVLOOP_LOCAL_MODEL_PATH";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProviderConfig.Local config;
    private final String modelName;
    private final ThreadPoolExecutor worker;
    private final AtomicBoolean cancelAll = new AtomicBoolean();
    private volatile LlamaModel model;

    public LocalChatProvider(ProviderConfig config) {
        this.config = config.local();
        this.modelName = this.config.model().orElseGet(() -> this.config
                .modelPath()
                .map(p -> Path.of(p).getFileName().toString().replaceFirst("(?i)\\.gguf$", ""))
                .orElse("local"));
        this.worker = new ThreadPoolExecutor(
                1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(Math.max(1, this.config.queue())), r -> {
                    Thread t = new Thread(r, "devloop-local-llm");
                    t.setDaemon(true);
                    return t;
                });
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean configured() {
        return config.modelPath().filter(p -> !p.isBlank()).isPresent();
    }

    @Override
    public String defaultModel() {
        return modelName;
    }

    @Override
    public List<String> models() {
        return List.of(modelName);
    }

    @Override
    public String circuitState() {
        return "closed";
    }

    @Override
    public String notConfiguredDetail() {
        return "provider local is not configured: set " + PATH_SETTING
                + " (devloop.provider.local.model-path) to a GGUF model file";
    }

    @Override
    public ProviderAnswer chat(GenerateCommand command, String model) {
        Future<ProviderAnswer> f = submit(() -> run(command, model, null));
        try {
            return f.get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new ProviderFailure(
                    ProviderFailure.Kind.UNREACHABLE,
                    NAME,
                    "local model did not answer within " + config.timeout() + " (devloop.provider.local.timeout)",
                    null,
                    e);
        } catch (ExecutionException e) {
            throw Stages.cause(e) instanceof ProviderFailure pf
                    ? pf
                    : new ProviderFailure(
                            ProviderFailure.Kind.UPSTREAM_ERROR,
                            NAME,
                            "local model failed: " + Stages.cause(e),
                            null,
                            e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderFailure(ProviderFailure.Kind.UNREACHABLE, NAME, "interrupted", null, e);
        }
    }

    @Override
    public void stream(GenerateCommand command, String model, StreamListener listener) {
        try {
            submit(() -> {
                try {
                    listener.onComplete(run(command, model, listener::onText));
                } catch (ProviderFailure pf) {
                    listener.onError(pf);
                } catch (RuntimeException e) {
                    listener.onError(new ProviderFailure(
                            ProviderFailure.Kind.UPSTREAM_ERROR, NAME, "local model failed: " + e, null, e));
                }
                return null;
            });
        } catch (ProviderFailure pf) {
            listener.onError(pf);
        }
    }

    private <T> Future<T> submit(java.util.concurrent.Callable<T> task) {
        try {
            return worker.submit(task);
        } catch (RejectedExecutionException e) {
            throw new ProviderFailure(
                    ProviderFailure.Kind.BULKHEAD_FULL,
                    NAME,
                    "the local model is busy: one inference runs and " + config.queue()
                            + " wait (devloop.provider.local.queue); try again shortly",
                    "1",
                    e);
        }
    }

    /** Runs on the worker thread: load if needed, render, generate, parse. */
    private ProviderAnswer run(GenerateCommand command, String requestedModel, Consumer<String> deltas) {
        if (requestedModel != null && !requestedModel.equals(modelName)) {
            throw ProviderFailure.of(
                    ProviderFailure.Kind.REQUEST_REJECTED,
                    NAME,
                    "the local provider serves only model '" + modelName + "', not '" + requestedModel + "'");
        }
        LlamaModel m = load();
        boolean tools = !command.tools().isEmpty();
        String system = system(command);
        List<Pair<String, String>> turns = new ArrayList<>();
        for (ChatMessage msg : command.messages()) {
            switch (msg.role()) {
                case "system" -> {}
                case "assistant" -> turns.add(new Pair<>("assistant", assistantText(msg)));
                case "tool" ->
                    turns.add(new Pair<>("user", "Result of tool call " + msg.toolCallId() + ": " + msg.content()));
                default -> turns.add(new Pair<>("user", msg.content() == null ? "" : msg.content()));
            }
        }
        String prompt = m.applyTemplate(new InferenceParameters("").setMessages(system, turns));
        int limit = config.maxTokens();
        if (command.options() != null && command.options().maxTokens() != null) {
            limit = Math.min(limit, command.options().maxTokens());
        }
        InferenceParameters params =
                new InferenceParameters(prompt).setNPredict(limit).setCachePrompt(false);
        if (command.options() != null) {
            if (command.options().temperature() != null) {
                params.setTemperature(command.options().temperature().floatValue());
            }
            if (command.options().topP() != null) {
                params.setTopP(command.options().topP().floatValue());
            }
            if (command.options().stop() != null && !command.options().stop().isEmpty() && !tools) {
                params.setStopStrings(command.options().stop().toArray(String[]::new));
            }
        }
        if (tools) {
            params.setGrammar(
                    LlamaModel.jsonSchemaToGrammar(answerSchema(command.tools()).toString()));
        }
        String text;
        if (deltas == null || tools) {
            // one decode of the whole answer: per-token pieces can split a multi-byte UTF-8 character
            text = m.complete(params);
        } else {
            StringBuilder out = new StringBuilder();
            LlamaIterator it = m.generate(params).iterator();
            while (it.hasNext()) {
                if (cancelAll.get() || Thread.currentThread().isInterrupted()) {
                    it.cancel();
                    throw new ProviderFailure(
                            ProviderFailure.Kind.UNREACHABLE, NAME, "local inference cancelled", null, null);
                }
                LlamaOutput o = it.next();
                out.append(o.text);
                if (!o.text.isEmpty()) {
                    deltas.accept(o.text);
                }
            }
            text = out.toString();
        }
        long in = m.encode(prompt).length;
        long produced = text.isEmpty() ? 0 : m.encode(text).length;
        Usage usage = new Usage(in, produced, in + produced);
        boolean full = produced >= limit;
        if (!tools) {
            return new ProviderAnswer(
                    text, List.of(), usage, modelName, full ? FinishReason.LENGTH : FinishReason.STOP);
        }
        JsonNode json;
        try {
            json = JSON.readTree(text);
        } catch (Exception e) {
            // the grammar only allows valid JSON, so an unparseable answer was cut by the token limit
            return new ProviderAnswer(text, List.of(), usage, modelName, FinishReason.LENGTH);
        }
        if (json.hasNonNull("tool")) {
            ToolCall call = new ToolCall(
                    "call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24),
                    json.path("tool").asText(),
                    json.path("arguments"));
            return new ProviderAnswer(null, List.of(call), usage, modelName, FinishReason.TOOL_CALLS);
        }
        String answer = json.path("text").asText();
        if (deltas != null && !answer.isEmpty()) {
            deltas.accept(answer);
        }
        return new ProviderAnswer(answer, List.of(), usage, modelName, FinishReason.STOP);
    }

    private String system(GenerateCommand command) {
        StringBuilder s = new StringBuilder();
        command.messages().stream()
                .filter(m -> "system".equals(m.role()) && m.content() != null)
                .forEach(m -> s.append(m.content()).append('\n'));
        if (!command.tools().isEmpty()) {
            s.append("You can call these tools. To call one, answer only with a JSON object {\"tool\": <tool name>, "
                    + "\"arguments\": <arguments matching its parameters>}");
            s.append(required() ? ".\n" : "; to answer without a tool, answer only with {\"text\": <your answer>}.\n");
            for (ToolSpec t : command.tools()) {
                s.append("- ")
                        .append(t.name())
                        .append(": ")
                        .append(t.description() == null ? "" : t.description())
                        .append(" Parameters: ")
                        .append(t.parameters())
                        .append('\n');
            }
        }
        return s.toString().trim();
    }

    private static String assistantText(ChatMessage msg) {
        if (msg.toolCalls() != null && !msg.toolCalls().isEmpty()) {
            ToolCall c = msg.toolCalls().get(0);
            ObjectNode n = JSON.createObjectNode().put("tool", c.name());
            n.set("arguments", c.arguments());
            return n.toString();
        }
        return msg.content() == null ? "" : msg.content();
    }

    private boolean required() {
        return "required".equals(config.toolChoice().trim().toLowerCase(Locale.ROOT));
    }

    /** {@code {"oneOf":[{"tool":{"const":name},"arguments":schema}…, {"text":string}?]}}. */
    ObjectNode answerSchema(List<ToolSpec> tools) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode one = root.putArray("oneOf");
        for (ToolSpec t : tools) {
            ObjectNode alt = one.addObject().put("type", "object");
            ObjectNode props = alt.putObject("properties");
            props.putObject("tool").put("const", t.name());
            props.set(
                    "arguments",
                    t.parameters() == null ? JSON.createObjectNode().put("type", "object") : t.parameters());
            alt.putArray("required").add("tool").add("arguments");
            alt.put("additionalProperties", false);
        }
        if (!required()) {
            ObjectNode alt = one.addObject().put("type", "object");
            alt.putObject("properties").putObject("text").put("type", "string");
            alt.putArray("required").add("text");
            alt.put("additionalProperties", false);
        }
        return root;
    }

    private LlamaModel load() {
        LlamaModel m = model;
        if (m != null) {
            return m;
        }
        String path = config.modelPath()
                .orElseThrow(
                        () -> ProviderFailure.of(ProviderFailure.Kind.NOT_CONFIGURED, NAME, notConfiguredDetail()));
        if (!Files.isReadable(Path.of(path))) {
            throw ProviderFailure.of(
                    ProviderFailure.Kind.NOT_CONFIGURED,
                    NAME,
                    "the local model file " + path + " (" + PATH_SETTING + ") does not exist or is not readable");
        }
        long start = System.nanoTime();
        try {
            m = new LlamaModel(new ModelParameters()
                    .setModel(path)
                    .setThreads(config.threads())
                    .setCtxSize(config.ctxSize()));
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new ProviderFailure(
                    ProviderFailure.Kind.UPSTREAM_ERROR,
                    NAME,
                    "the local model could not be loaded from " + path + ": " + e.getMessage(),
                    null,
                    e);
        }
        long loadMs = (System.nanoTime() - start) / 1_000_000;
        LogFields.of("model", modelName, "threads", config.threads(), "ctxSize", config.ctxSize(), "loadMs", loadMs)
                .info(LOG, "local model loaded");
        model = m;
        return m;
    }

    void shutdown(@Observes ShutdownEvent ignored) {
        cancelAll.set(true);
        worker.shutdownNow();
        try {
            worker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LlamaModel m = model;
        model = null;
        if (m != null) {
            m.close();
            LogFields.of("model", modelName).info(LOG, "local model closed");
        }
    }
}
