package dev.devloop.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Typed settings of api-gateway ({@code devloop.gateway.*}). */
@ConfigMapping(prefix = "devloop.gateway")
public interface GatewayConfig {

    /** Request bounds. */
    Limits limits();

    /** The agent-service hop. */
    AgentService agentService();

    /** The Redis store of rate-limit windows and idempotency records. */
    Redis redis();

    /** MongoDB migrations of {@code webhooks.database} at start. */
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

    /** Redis probing. */
    interface Redis {
        /** How long the readiness check waits for PING. */
        @WithDefault("2s")
        Duration healthTimeout();
    }

    /** Rate limits per client and route. */
    RateLimit rateLimit();

    /** Idempotency-Key handling of POSTs. */
    Idempotency idempotency();

    /** Sliding-window rate limits; a caller gets the limit of its most privileged role. */
    interface RateLimit {
        /** The window length. */
        @WithDefault("60s")
        Duration window();

        /** Requests per window for a caller with none of the configured roles. */
        @WithDefault("60")
        int defaultLimit();

        /** Requests per window by role ({@code admin}, {@code operator}, {@code viewer}). */
        Map<String, Integer> perRole();

        /** Tokens leased from Redis and spent locally on the non-blocking path (domain {@code LeasePolicy}). */
        Lease lease();

        interface Lease {
            /** At most this many tokens per Redis call. */
            @WithDefault("64")
            int maxTokens();

            /**
             * A lease is this share of the client's limit (rounded down; below 2 tokens: no lease, every request
             * asks Redis): the default leases only for limits of 2 000 per window and more.
             */
            @WithDefault("0.001")
            double share();

            /** How long a lease is spent before its unspent tokens lapse. */
            @WithDefault("1s")
            Duration ttl();

            /** Clients holding a lease at once on this instance (others ask Redis per request meanwhile). */
            @WithDefault("10000")
            int maxKeys();
        }
    }

    /** How long idempotency records live. */
    interface Idempotency {
        /** How long a first response is kept for replay. */
        @WithDefault("24h")
        Duration replayTtl();

        /** How long a claimed key blocks duplicates while its request runs (longer than the longest sync run). */
        @WithDefault("330s")
        Duration pendingTtl();
    }

    /** Bounds on what clients may send. */
    interface Limits {
        /** Largest run body accepted, in bytes (larger: 413 naming {@code body}). */
        @WithDefault("65536")
        int maxRunBodyBytes();

        /** Largest {@code input} string of a run, in UTF-8 bytes (larger: 400 naming {@code input}). */
        @WithDefault("32768")
        int maxInputBytes();

        /**
         * Longest request target (path and query) answered as a route, in characters (longer: 414 problem+json);
         * {@code quarkus.http.limits.max-initial-line-length} must be larger, or Vert.x answers a bare 414 first.
         */
        @WithDefault("8192")
        int maxUriLength();

        /**
         * Largest sum of header names and values, in bytes (larger: 431 problem+json);
         * {@code quarkus.http.limits.max-header-size} must be larger, or Vert.x answers a bare 431 first.
         */
        @WithDefault("16384")
        int maxHeaderBytes();

        /**
         * Largest bulk body ({@code POST /api/v1/roadmap/import}, {@code POST /api/v1/documents/batch}), in bytes
         * (larger: 413 naming {@code body});
         * every other forwarded route keeps {@code hop.max-request-bytes}; {@code quarkus.http.limits.max-body-size}
         * must be at least this.
         */
        @WithDefault("8388608")
        int maxImportBytes();
    }

    /** Readiness probing of agent-service. */
    interface AgentService {
        /** How long the readiness check waits for agent-service's {@code /q/health/ready}. */
        @WithDefault("2s")
        Duration readinessTimeout();
    }

    /** Live events from Kafka, served as SSE. */
    Events events();

    /** Bounds of the live-event fan-out. */
    interface Events {
        /** Events kept per tenant for {@code Last-Event-ID} resume. */
        @WithDefault("500")
        int bufferPerTenant();

        /** Tenants whose buffers are kept (least recently active without subscribers are dropped first). */
        @WithDefault("10000")
        int maxTenants();

        /** Open SSE streams per tenant (more: 429). */
        @WithDefault("50")
        int maxStreamsPerTenant();

        /** Events queued for one slow stream before it is closed (the client resumes with Last-Event-ID). */
        @WithDefault("1000")
        int maxQueuedPerStream();

        /** Larger Kafka records are skipped as malformed. */
        @WithDefault("262144")
        int maxEventBytes();
    }

    /** Webhook subscriptions and deliveries. */
    Webhooks webhooks();

    /** Webhook bounds, SSRF exceptions and retry policy. */
    interface Webhooks {
        /** Hosts exempt from the SSRF address rules (exact host names or literal IPs). */
        Optional<List<String>> allowedHosts();

        /** The MongoDB database holding {@code webhooks} and {@code deliveries}. */
        @WithDefault("devloop_gateway")
        String database();

        /** Webhooks per tenant. */
        @WithDefault("20")
        int maxPerTenant();

        /** Event types per webhook. */
        @WithDefault("20")
        int maxEventTypes();

        /** Longest URL accepted. */
        @WithDefault("2048")
        int maxUrlLength();

        /** Delivery attempts before dead-lettering. */
        @WithDefault("5")
        int maxAttempts();

        /** Wait after the first failed attempt; doubled after each further one. */
        @WithDefault("1s")
        Duration initialBackoff();

        /** Longest wait between attempts (keep it well under the consumer's 60 s unprocessed-record limit). */
        @WithDefault("30s")
        Duration maxBackoff();

        /** TCP connect timeout towards a receiver. */
        @WithDefault("5s")
        Duration connectTimeout();

        /** Whole-request timeout towards a receiver. */
        @WithDefault("10s")
        Duration requestTimeout();

        /** How long enqueueing a delivery on Kafka may take. */
        @WithDefault("10s")
        Duration enqueueTimeout();

        /** Delivery attempts listed by {@code GET /api/v1/webhooks/{id}/deliveries}. */
        @WithDefault("100")
        int maxDeliveriesListed();
    }

    /** The Vert.x route below RESTEasy that serves the hot reads ({@code adapters.in.rest.HotReads}). */
    FastReads fastReads();

    /** Whether the hot reads take the fast route (off: every read goes through RESTEasy, as before issue #16). */
    interface FastReads {
        @WithDefault("true")
        boolean enabled();
    }

    /** The memory of verified bearer tokens. */
    JwtCache jwtCache();

    /** How many verified tokens are remembered, and for how long at most (never past a token's own expiry). */
    interface JwtCache {
        /** Tokens remembered at once; 0 verifies every request in full. */
        @WithDefault("10000")
        int maxEntries();

        /** Longest a verified token is trusted without a new check (also how long a key withdrawn from the JWKS is still honoured). */
        @WithDefault("60s")
        Duration ttl();
    }

    /** The hops to knowledge-service, tool-service, provider-gateway (and agent-service's newer routes). */
    Hop hop();

    /** Timeouts, retries, circuit breakers and bulkheads of the generic service hop. */
    interface Hop {
        /** TCP connect timeout. */
        @WithDefault("2s")
        Duration connectTimeout();

        /** Bound of an ordinary call (reads, small writes). */
        @WithDefault("10s")
        Duration timeout();

        /** Bound of a call that waits for an LLM (generate, chat completions, RAG, tool invocations). */
        @WithDefault("120s")
        Duration longTimeout();

        /** Retries of idempotent calls after a transport failure, a timeout or a 502/503/504 answer. */
        @WithDefault("2")
        int retries();

        /** Wait before a retry (plus up to the same again as jitter). */
        @WithDefault("200ms")
        Duration retryDelay();

        /** Concurrent calls per service instance and call kind (more wait for a slot, see {@link #maxQueued()}). */
        @WithDefault("64")
        int maxConcurrent();

        /** Calls that may wait for a bulkhead slot at once per service instance and call kind (more: 503 at once). */
        @WithDefault("256")
        int maxQueued();

        /** How long a call waits for a bulkhead slot (then: 503). */
        @WithDefault("1s")
        Duration queueWait();

        /** A streamed answer (chat completions with {@code stream: true}) is cut when nothing arrives for this long. */
        @WithDefault("120s")
        Duration streamIdleTimeout();

        /** Calls in the rolling window before the circuit breaker may open. */
        @WithDefault("20")
        int circuitVolume();

        /** Failure ratio in that window that opens the circuit. */
        @WithDefault("0.5")
        double circuitFailureRatio();

        /** How long an open circuit stays open. */
        @WithDefault("5s")
        Duration circuitDelay();

        /** Largest downstream body passed on (larger: 502). */
        @WithDefault("8388608")
        int maxResponseBytes();

        /** Largest request body forwarded (larger: 413 naming body). */
        @WithDefault("262144")
        int maxRequestBytes();

        /** {@code Retry-After} of a 503 the gateway answers for a sibling that is down (unreachable, circuit open, bulkhead full). */
        @WithDefault("5s")
        Duration retryAfter();

        /** How long a dependency probe's result is reused by the health checks (bounds probe traffic). */
        @WithDefault("3s")
        Duration healthCacheTtl();

        /** How long each sibling's health probe waits. */
        @WithDefault("2s")
        Duration readinessTimeout();
    }

    /** Tenant → cell → base URLs. */
    Cells cells();

    /** The cell table; see k8s/cells/tenant-routing.yaml. */
    interface Cells {
        /** The cell serving every tenant not listed in {@code tenants}. */
        @WithDefault("local")
        String defaultCell();

        /** Tenant → cell. */
        Map<String, String> tenants();

        /** Cell → service name ({@code agent-service}, {@code knowledge-service}, …) → base URL. */
        Map<String, Map<String, String>> urls();
    }

    /** API versions. */
    Api api();

    /** Which versions are served; deprecated ones carry Deprecation/Sunset and are refused after sunset. */
    interface Api {
        /** The current version ({@code /api/v1}). */
        @WithDefault("1")
        int current();

        /** Deprecated version → sunset instant (ISO-8601); served as the current one until then, 410 after. */
        Map<String, String> deprecated();

        /** When each deprecated version was deprecated (ISO-8601), for the Deprecation header. */
        Map<String, String> deprecatedSince();
    }

    /** List shaping and the batch endpoint. */
    Lists lists();

    /** Bounds of fields=, cursor pages and batch reads. */
    interface Lists {
        /** Page size when no {@code limit} is given. */
        @WithDefault("50")
        int defaultPageSize();

        /** Largest {@code limit}. */
        @WithDefault("100")
        int maxPageSize();

        /** Most names in {@code fields=}. */
        @WithDefault("32")
        int maxFields();

        /** Most sub-requests in one batch. */
        @WithDefault("20")
        int maxBatch();

        /** Sub-requests of one batch run at once. */
        @WithDefault("4")
        int batchParallelism();

        /** Bound of each sub-request. */
        @WithDefault("10s")
        Duration batchItemTimeout();
    }

    /** The /ws WebSocket. */
    Ws ws();

    /** WebSocket bounds. */
    interface Ws {
        /** How long a connection may stay unauthenticated waiting for its auth message. */
        @WithDefault("10s")
        Duration authTimeout();

        /** Largest client message. */
        @WithDefault("16384")
        int maxMessageBytes();
    }

    /** GitHub webhooks in ({@code /api/v1/integrations/github}). */
    Github github();

    /** Bounds and windows of GitHub webhooks in. */
    interface Github {
        /** Largest payload accepted (larger: 413); {@code quarkus.http.limits.max-body-size} must be at least this. */
        @WithDefault("1048576")
        int maxBodyBytes();

        /** How long an accepted delivery id is remembered per tenant (a replay within it publishes nothing). */
        @WithDefault("72h")
        Duration replayWindow();

        /** How long a delivery being published blocks a concurrent copy of itself (longer than publish-timeout). */
        @WithDefault("60s")
        Duration pendingTtl();

        /** How long the previous secret still verifies after a rotation (at most 7 days). */
        @WithDefault("1h")
        Duration secretGracePeriod();

        /** How long Kafka may take to acknowledge a forge event (then: 503). */
        @WithDefault("10s")
        Duration publishTimeout();

        /** The Retry-After of a 503. */
        @WithDefault("30s")
        Duration retryAfter();
    }

    /** Producer grants ({@code /api/v1/event-grants}). */
    Grants grants();

    /** Listing and revoking producer grants. */
    interface Grants {
        /** How long Kafka may take to acknowledge a revocation (then: 503, the grant stays live). */
        @WithDefault("10s")
        Duration publishTimeout();

        /** Grants per page of {@code GET /api/v1/event-grants} unless {@code limit} says fewer. */
        @WithDefault("50")
        int defaultPageSize();

        /** The largest {@code limit} accepted. */
        @WithDefault("200")
        int maxPageSize();
    }
}
