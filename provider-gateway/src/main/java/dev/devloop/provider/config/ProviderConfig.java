package dev.devloop.provider.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Typed settings of provider-gateway: providers, request bounds. */
@ConfigMapping(prefix = "devloop.provider")
public interface ProviderConfig {

    /** Provider used when a request names none. */
    @WithDefault("openai")
    String defaultProvider();

    /** OpenAI and OpenAI-compatible servers. */
    OpenAi openai();

    /** Anthropic Claude (Messages API). */
    Anthropic anthropic();

    /** Google Gemini (Gemini API). */
    Gemini gemini();

    /** The in-process GGUF model (java-llama.cpp). */
    Local local();

    /** Gemini on Google Cloud Vertex AI (OAuth bearer auth, project/location URLs, Gemini wire format). */
    Vertex vertex();

    /**
     * Named instances of a provider type, each its own provider (routing name, circuit, bulkhead), e.g.
     * {@code devloop.provider.instances.ollama.base-url=http://127.0.0.1:11434/v1}.
     */
    Map<String, ProviderInstance> instances();

    /**
     * Model aliases, each an ordered fallback chain of {@code provider/model}, e.g.
     * {@code devloop.provider.aliases.smart=anthropic/claude-sonnet-4-5,openai/gpt-4o,gemini/gemini-2.0-flash}.
     */
    Map<String, List<String>> aliases();

    /** Retries of retryable failures (429, 5xx, timeout, connection) with jittered back-off. */
    Retry retry();

    /** Concurrent calls per provider. */
    Bulkhead bulkhead();

    /** Prices per model in USD per million tokens, keyed {@code provider/model} or {@code model} (quote keys with dots). */
    Map<String, Price> prices();

    /** Spending limits per tenant. */
    Budgets budgets();

    /** How the tenants' spend reaches Redis ({@code adapters.out.redis.RedisSpend}). */
    Spend spend();

    /** PII redaction of requests. */
    Pii pii();

    /** Safety at the model boundary: per-tenant PII redaction and prompt-injection screening ({@code /safety/settings}). */
    Safety safety();

    /**
     * A model that is no alias, is advertised by no provider, matches no model family and is not written
     * {@code provider/model}: true (the default) answers 400 {@code model-not-found} naming it; false sends it
     * to the default provider (the behaviour before, for an OpenAI-compatible server serving any model name).
     */
    @WithDefault("true")
    boolean rejectUnknownModels();

    /** {@code POST /v1/embeddings}. */
    Embeddings embeddings();

    /** Response cache in Redis. */
    Cache cache();

    /** Bounds on what one request may carry. */
    Limits limits();

    /** Per-tenant runtime settings ({@code /v1/settings}). */
    Settings settings();

    /** The in-process warm-up of the hot path at start ({@code HotPathWarmup}). */
    Warmup warmup();

    /** {@code GET /v1/usage}. */
    Usage usage();

    /** The usage records published on {@code devloop.provider.usage} as signed per-tenant batches. */
    UsageEvents usageEvents();

    /** MongoDB migrations at start ({@code adapters.out.mongo.MongoMigrator}). */
    Migrations migrations();

    /** How long a start waits for another instance's migration lock, and how often it retries an unreachable store. */
    interface Migrations {
        /** Longest wait for another instance's lock before giving up, not ready. */
        @WithDefault("120s")
        Duration lockWait();

        /** Pause between attempts while MongoDB is unreachable at start. */
        @WithDefault("10s")
        Duration retry();
    }

    /** MongoDB database of the usage ledger. */
    @WithDefault("devloop_providers")
    String database();

    /** OpenAI (or any OpenAI-compatible server reached by base URL). */
    interface OpenAi extends Upstream {
        /** API key ({@code DEVLOOP_OPENAI_API_KEY}); never logged. */
        Optional<String> apiKey();

        /** Base URL ({@code DEVLOOP_OPENAI_BASE_URL}); unset means https://api.openai.com/v1. */
        Optional<String> baseUrl();

        /** Model used when a request names none ({@code DEVLOOP_OPENAI_MODEL}). */
        @WithDefault("gpt-4o-mini")
        String model();
    }

    /**
     * What every remote provider has: further models, the call timeout, body logging and its own bulkhead and retry
     * policy.
     */
    interface Upstream {
        /** Models advertised at /v1/models and /v1/providers and routed here, besides the default model. */
        Optional<List<String>> models();

        /** Upper bound of one upstream call. */
        @WithDefault("120s")
        Duration timeout();

        /** Logs request and response bodies of upstream calls (never the key or token); off by default. */
        @WithDefault("false")
        boolean logBodies();

        /** This provider's own bulkhead; unset keys fall back to {@code devloop.provider.bulkhead.*}. */
        ProviderBulkhead bulkhead();

        /** This provider's own retry policy; unset keys fall back to {@code devloop.provider.retry.*}. */
        ProviderRetry retry();
    }

    /** Anthropic Claude. */
    interface Anthropic extends Upstream {
        /** API key ({@code DEVLOOP_ANTHROPIC_API_KEY}); never logged. */
        Optional<String> apiKey();

        /** Base URL ({@code DEVLOOP_ANTHROPIC_BASE_URL}); unset means https://api.anthropic.com/v1. */
        Optional<String> baseUrl();

        /** Model used when a request names none. */
        @WithDefault("claude-sonnet-4-5")
        String model();

        /** {@code max_tokens} sent when a request sets none (Anthropic requires one). */
        @WithDefault("4096")
        int maxTokens();

        /** The {@code anthropic-version} header. */
        @WithDefault("2023-06-01")
        String version();

        /** Extended thinking, whose {@code thinking} blocks come back as the answer's reasoning. */
        AnthropicThinking thinking();
    }

    /**
     * Google Gemini API. {@code base-url} ({@code DEVLOOP_GEMINI_BASE_URL}) unset means
     * https://generativelanguage.googleapis.com/v1beta.
     */
    interface Gemini extends GeminiModel {
        /** API key ({@code DEVLOOP_GEMINI_API_KEY}); never logged. */
        Optional<String> apiKey();
    }

    /** What Gemini on the Gemini API and on Vertex AI share besides {@link Upstream}: the model settings. */
    interface GeminiModel extends Upstream {
        /** Thinking settings ({@code generationConfig.thinkingConfig}). */
        GoogleThinking thinking();

        /** API root; each provider says what unset means. */
        Optional<String> baseUrl();

        /** Model used when a request names none. */
        @WithDefault("gemini-2.0-flash")
        String model();
    }

    /** Retry policy applied to every provider's non-streaming calls. */
    interface Retry {
        /** Retries after the first attempt. */
        @WithDefault("2")
        int maxRetries();

        /** First back-off; doubles per retry, randomised between half and all of it. */
        @WithDefault("300ms")
        Duration baseDelay();

        /** Largest back-off. */
        @WithDefault("5s")
        Duration maxDelay();

        /** A Retry-After up to this long is waited for and retried; a longer one goes back to the caller (or the fallback). */
        @WithDefault("5s")
        Duration maxRetryAfter();
    }

    /** Bulkhead per provider: at most this many calls at once; a call beyond that is refused (503 provider-busy). */
    interface Bulkhead {
        @WithDefault("64")
        int maxConcurrent();
    }

    /** A model's price in USD per million tokens. */
    interface Price {
        double inputPerMtok();

        double outputPerMtok();
    }

    /** Monthly spending limits in USD; a tenant at or above its limit is refused with 429 before any provider call. */
    interface Budgets {
        /** Limit for tenants not listed in {@code tenants}; unset means unlimited. */
        Optional<Double> defaultMonthlyUsd();

        /** Limits per tenant. */
        Map<String, Double> tenants();
    }

    /** PII redaction (see {@code PiiRedactor} for the kinds); on by default for every tenant ({@link Safety}). */
    interface Pii {
        /** Tenants whose requests are always redacted, even when their admin opted out (as {@code X-Devloop-Redact: pii} does per request). */
        Optional<List<String>> redactTenants();
    }

    /** Defaults of every tenant's safety settings (a tenant's admin changes its own with PUT /safety/settings). */
    interface Safety {
        /** PII redaction of what goes to the providers, for tenants that did not opt out. */
        @WithDefault("true")
        boolean piiRedaction();

        /** Prompt-injection mode of tenants that did not choose one: {@code block}, {@code flag} or {@code off}. */
        @WithDefault("flag")
        String injectionMode();

        /** Score (0..1] at and above which a request is flagged or blocked. */
        @WithDefault("0.5")
        double injectionThreshold();

        /** Bound of one read or write of the settings store (MongoDB). */
        @WithDefault("2s")
        Duration timeout();

        /** How many audit entries {@code GET /safety/audit} returns at most. */
        @WithDefault("200")
        int maxAuditEntries();
    }

    /** Embeddings. */
    interface Embeddings {
        /** Model used when a request names none: {@code all-minilm-l6-v2} (in-process) or an OpenAI embedding model. */
        @WithDefault("all-minilm-l6-v2")
        String defaultModel();

        /** OpenAI embedding models routed to the OpenAI provider. */
        @WithDefault("text-embedding-3-small,text-embedding-3-large,text-embedding-ada-002")
        List<String> openaiModels();

        /** Most inputs in one request. */
        @WithDefault("256")
        int maxInputs();

        /** Most characters in one input. */
        @WithDefault("32000")
        int maxInputChars();
    }

    /** Response cache for deterministic requests (temperature 0) and requests that opt in. */
    interface Cache {
        /** Turns the cache on or off. */
        @WithDefault("true")
        boolean enabled();

        /** How long an answer stays cached. */
        @WithDefault("1h")
        Duration ttl();

        /** Largest serialized answer stored. */
        @WithDefault("262144")
        int maxEntryBytes();

        /** Longest wait for Redis before a lookup counts as a miss. */
        @WithDefault("500ms")
        Duration timeout();
    }

    /** Request bounds; beyond them a request is rejected with 400 before any upstream call. */
    interface Limits {
        /** Most messages in one request. */
        @WithDefault("500")
        int maxMessages();

        /** Most characters over all message contents and tool-call arguments of one request. */
        @WithDefault("1000000")
        int maxTotalChars();

        /** Most tools offered in one request. */
        @WithDefault("128")
        int maxTools();

        /** Deepest nesting accepted in a tool's JSON schema. */
        @WithDefault("16")
        int maxSchemaDepth();

        /** Largest {@code options.maxTokens} accepted. */
        @WithDefault("128000")
        int maxOutputTokens();

        /** Most stop sequences accepted. */
        @WithDefault("4")
        int maxStopSequences();

        /** Longest wait for the next event of a streamed answer before the stream is ended with an error. */
        @WithDefault("120s")
        Duration streamIdleTimeout();

        /** Most events buffered for one streamed answer that the client has not read yet. */
        @WithDefault("20000")
        int maxStreamBuffer();
    }

    /** Per-tenant runtime settings kept in Redis; reads on the generate path are memoised briefly per replica. */
    interface Warmup {
        /** Run it at start (tests turn it off); readiness stays DOWN ({@code warm-up}) until it ends. */
        @WithDefault("true")
        boolean enabled();

        /** Most generate calls it makes against its loopback stub (never a configured provider). */
        @WithDefault("4000")
        int iterations();

        /** Longest it may run; readiness turns UP when it ends either way. */
        @WithDefault("15s")
        Duration maxDuration();

        /**
         * Keep-alive connections its calls to this gateway's own HTTP server use at once (1–64; at least the event
         * loops, so each sees the path).
         */
        @WithDefault("8")
        int connections();

        /**
         * After its calls, how long readiness may still wait for the JIT to compile what they queued ({@code
         * CompilerSettle}; 0 = not at all). On 2 cores ~700 methods were still queued when the calls ended, and the
         * first seconds of traffic ran at a fifth of the warmed rate until C2 caught up.
         */
        @WithDefault("6s")
        Duration compileSettle();
    }

    interface Settings {
        /** How long one replica reuses a tenant's settings before reading Redis again (0 = every request). */
        @WithDefault("2s")
        Duration memo();

        /** Most tenants memoised at once; the memo is emptied when full. */
        @WithDefault("10000")
        int maxMemo();
    }

    /** Usage queries over the ledger. */
    interface Usage {
        /** Most groups one answer carries (more → {@code truncated: true}). */
        @WithDefault("1000")
        int maxGroups();

        /** Longest wait for MongoDB per aggregation. */
        @WithDefault("10s")
        Duration timeout();
    }

    /** Spend written to Redis in coalesced flushes ({@code adapters.out.redis.RedisSpend}). */
    interface Spend {
        /** How often the spend summed in memory is written, one pipelined INCRBYFLOAT+EXPIRE per (tenant, month). */
        @WithDefault("100ms")
        Duration flushInterval();

        /**
         * How long a budget check trusts the total Redis last reported before asking for one reload (served from the
         * old total meanwhile): other instances' spend shows here within this plus two flush intervals.
         */
        @WithDefault("1s")
        Duration memo();

        /** Most (tenant, month) keys held in memory; a call for a new key past it writes its spend at once. */
        @WithDefault("10000")
        int maxKeys();

        /** Consecutive failed writes of a key before its amount is given up (counted and logged). */
        @WithDefault("50")
        int maxAttempts();
    }

    /** Usage batches on Kafka ({@code adapters.out.kafka.KafkaUsagePublisher}). */
    interface UsageEvents {
        /** How often the records buffered since the last flush are sent, one signed batch per tenant. */
        @WithDefault("200ms")
        Duration flushInterval();

        /** Most records waiting for a flush; past it a record is dropped and counted (the ledger still has it). */
        @WithDefault("20000")
        int maxBuffered();
    }

    /** In-process GGUF model on CPU through java-llama.cpp; one inference at a time. */
    interface Local {
        /** Path of the GGUF file ({@code DEVLOOP_LOCAL_MODEL_PATH}); unset → provider not configured. */
        Optional<String> modelPath();

        /** Model name clients use; unset → the file name without {@code .gguf}. */
        Optional<String> model();

        /** CPU threads for inference. */
        @WithDefault("1")
        int threads();

        /** Context size in tokens (prompt + answer). */
        @WithDefault("4096")
        int ctxSize();

        /** Most tokens generated when a request sets no (or a larger) {@code maxTokens}. */
        @WithDefault("512")
        int maxTokens();

        /** Requests waiting for the model beyond the one running; more → 503 provider-busy. */
        @WithDefault("4")
        int queue();

        /** Longest one inference (queueing included) may take before it is cancelled. */
        @WithDefault("300s")
        Duration timeout();

        /** {@code auto}: with tools the model answers a tool call or text; {@code required}: a tool call. */
        @WithDefault("auto")
        String toolChoice();

        /** This provider's own bulkhead; unset keys fall back to {@code devloop.provider.bulkhead.*}. */
        ProviderBulkhead bulkhead();

        /** This provider's own retry policy; unset keys fall back to {@code devloop.provider.retry.*}. */
        ProviderRetry retry();

        /**
         * Native images only (built without the in-process llama.cpp and ONNX code, see {@code InProcessModels}): the
         * OpenAI-compatible chat server that serves {@code local} instead, e.g. llama.cpp's
         * {@code llama-server --port 8090} at {@code http://127.0.0.1:8090/v1} ({@code DEVLOOP_LOCAL_BASE_URL}).
         */
        Optional<String> baseUrl();

        /**
         * Native images only: the OpenAI-compatible {@code /embeddings} server that serves the {@code local}
         * all-MiniLM-L6-v2 embeddings instead ({@code DEVLOOP_LOCAL_EMBEDDINGS_BASE_URL}).
         */
        Optional<String> embeddingsBaseUrl();

        /**
         * Where the in-process all-MiniLM-L6-v2 model (ONNX, ~90 MB, bundled in the jar) is extracted on first use, so
         * ONNX Runtime reads it from a file rather than from a heap copy ({@code DEVLOOP_LOCAL_EMBEDDINGS_MODEL_DIR};
         * application.properties: {@code <devloop.state or java.io.tmpdir>/provider-gateway/models}; unset:
         * {@code <java.io.tmpdir>/provider-gateway/models}). Checked by SHA-256 each start.
         */
        Optional<String> embeddingsModelDir();
    }

    /** A provider's own bulkhead size; each unset key falls back to the global {@code devloop.provider.bulkhead.*}. */
    interface ProviderBulkhead {
        /** Most calls in flight to this provider at once; one more is refused (503 provider-busy, or the next route). */
        Optional<Integer> maxConcurrent();
    }

    /** A provider's own retry policy; each unset key falls back to the global {@code devloop.provider.retry.*}. */
    interface ProviderRetry {
        Optional<Integer> maxRetries();

        Optional<Duration> baseDelay();

        Optional<Duration> maxDelay();

        Optional<Duration> maxRetryAfter();
    }

    /** The circuit breaker of a named instance (the built-in providers' are set on their {@code *Calls} beans). */
    interface InstanceCircuitBreaker {
        /** Calls in the rolling window. */
        @WithDefault("20")
        int requestVolumeThreshold();

        /** Failure ratio in the window that opens the circuit. */
        @WithDefault("0.5")
        double failureRatio();

        /** How long the circuit stays open before trial calls; also the Retry-After sent while open. */
        @WithDefault("30s")
        Duration delay();

        /** Successful trial calls that close the circuit again. */
        @WithDefault("2")
        int successThreshold();
    }

    /** One named provider instance. */
    interface ProviderInstance {
        /** The provider type; only {@code openai-compatible} (Ollama, vLLM, llama.cpp server, LiteLLM, OpenAI…) exists. */
        @WithDefault("openai-compatible")
        String type();

        /** The server's base URL, e.g. {@code http://127.0.0.1:11434/v1}; unset → the instance answers 503 naming it. */
        Optional<String> baseUrl();

        /** API key, optional (keyless servers get a placeholder bearer token); never logged. */
        Optional<String> apiKey();

        /** Model used when a request names none; unset → the first of {@code models}. */
        Optional<String> defaultModel();

        /** Models advertised and routed to this instance. */
        Optional<List<String>> models();

        /** Upper bound of one upstream call. */
        @WithDefault("120s")
        Duration timeout();

        /** Logs request and response bodies (never the key); off by default. */
        @WithDefault("false")
        boolean logBodies();

        /** This instance's bulkhead; unset keys fall back to {@code devloop.provider.bulkhead.*}. */
        ProviderBulkhead bulkhead();

        /** This instance's retry policy; unset keys fall back to {@code devloop.provider.retry.*}. */
        ProviderRetry retry();

        /** This instance's circuit breaker. */
        InstanceCircuitBreaker circuitBreaker();
    }

    /**
     * Gemini on Vertex AI, reached over REST with an OAuth2 access token. {@code base-url} unset means
     * {@code https://<location>-aiplatform.googleapis.com/v1} (tests point it at a stub).
     */
    interface Vertex extends GeminiModel {
        /** Google Cloud project id ({@code DEVLOOP_VERTEX_PROJECT}). */
        Optional<String> project();

        /** Region, e.g. {@code us-central1} ({@code DEVLOOP_VERTEX_LOCATION}). */
        @WithDefault("us-central1")
        String location();

        /** A ready OAuth2 access token ({@code DEVLOOP_VERTEX_ACCESS_TOKEN}); never logged. */
        Optional<String> accessToken();

        /** A service-account JSON key file ({@code GOOGLE_APPLICATION_CREDENTIALS}); tokens are minted from it. */
        Optional<String> credentialsFile();
    }

    /** Anthropic extended thinking ({@code "thinking": {"type": "enabled", "budget_tokens": N}}). */
    interface AnthropicThinking {
        /**
         * Tokens the model may think with before answering ({@code DEVLOOP_ANTHROPIC_THINKING_BUDGET_TOKENS}); 0 = off.
         * Anthropic's minimum is 1024; {@code max_tokens} is raised by this budget and temperature is left out while on.
         */
        @WithDefault("0")
        int budgetTokens();
    }

    /** Gemini thinking ({@code generationConfig.thinkingConfig}); nothing is sent while both keys are unset/false. */
    interface GoogleThinking {
        /** Asks for thought summaries ({@code includeThoughts: true}), which come back as the answer's reasoning. */
        @WithDefault("false")
        boolean includeThoughts();

        /** {@code thinkingBudget}: tokens the model may think with (0 = no thinking, -1 = dynamic); unset = the model's default. */
        Optional<Integer> budgetTokens();
    }
}
