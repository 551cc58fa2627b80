package dev.devloop.provider.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Typed settings of provider-gateway: providers, request bounds. */
@ConfigMapping(prefix = "devloop.provider")
public interface ProviderConfig {

  /** Provider used when a request names none. */
  @WithDefault("openai")
  String defaultProvider();

  /** OpenAI and OpenAI-compatible servers. */
  OpenAi openai();

  /** Response cache in Redis. */
  Cache cache();

  /** Bounds on what one request may carry. */
  Limits limits();

  /** MongoDB database of the usage ledger. */
  @WithDefault("devloop_providers")
  String database();

  /** OpenAI (or any OpenAI-compatible server reached by base URL). */
  interface OpenAi {
    /** API key ({@code DEVLOOP_OPENAI_API_KEY}); never logged. */
    Optional<String> apiKey();

    /** Base URL ({@code DEVLOOP_OPENAI_BASE_URL}); unset means https://api.openai.com/v1. */
    Optional<String> baseUrl();

    /** Model used when a request names none ({@code DEVLOOP_OPENAI_MODEL}). */
    @WithDefault("gpt-4o-mini")
    String model();

    /** Models advertised at /v1/models and /v1/providers besides the default model. */
    Optional<List<String>> models();

    /** Upper bound of one upstream call. */
    @WithDefault("120s")
    Duration timeout();

    /** Logs request and response bodies of upstream calls (never the key); off by default. */
    @WithDefault("false")
    boolean logBodies();
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
}
