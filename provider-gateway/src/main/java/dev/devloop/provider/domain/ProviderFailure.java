package dev.devloop.provider.domain;

import java.util.Optional;

/** A provider call that did not produce an answer, classified so callers can react per kind. */
public final class ProviderFailure extends RuntimeException {

    /** What went wrong, independent of the provider's wire format. */
    public enum Kind {
        /** No credentials or endpoint configured for the provider. */
        NOT_CONFIGURED(false),
        /** The provider refused our credentials (401/403). */
        CREDENTIALS_REJECTED(false),
        /** The provider throttled us (429). */
        RATE_LIMITED(true),
        /** The provider answered 5xx. */
        UPSTREAM_ERROR(true),
        /** The provider did not answer in time, or the connection failed. */
        UNREACHABLE(true),
        /** The provider answered with a body we cannot read. */
        MALFORMED_RESPONSE(false),
        /** The provider rejected the request itself (4xx other than the above). */
        REQUEST_REJECTED(false),
        /** The gateway's circuit breaker for the provider is open after repeated failures. */
        CIRCUIT_OPEN(false),
        /** The provider's bulkhead is full: too many calls to it are in flight. */
        BULKHEAD_FULL(false);

        private final boolean retryable;

        Kind(boolean retryable) {
            this.retryable = retryable;
        }

        /**
         * True when another provider of a fallback chain may succeed where this one failed: throttling,
         * 5xx, timeouts, an open circuit, a full bulkhead or a provider with no key. Not for failures
         * the request itself causes (rejected request, malformed answer) or rejected credentials.
         */
        public boolean fallsBack() {
            return switch (this) {
                case RATE_LIMITED, UPSTREAM_ERROR, UNREACHABLE, CIRCUIT_OPEN, BULKHEAD_FULL, NOT_CONFIGURED -> true;
                default -> false;
            };
        }

        /** True when the same call may succeed if tried again later. */
        public boolean retryable() {
            return retryable;
        }
    }

    private final Kind kind;
    private final String provider;
    private final String retryAfter;

    public ProviderFailure(Kind kind, String provider, String detail, String retryAfter, Throwable cause) {
        super(detail, cause);
        this.kind = kind;
        this.provider = provider;
        this.retryAfter = retryAfter;
    }

    public static ProviderFailure of(Kind kind, String provider, String detail) {
        return new ProviderFailure(kind, provider, detail, null, null);
    }

    public Kind kind() {
        return kind;
    }

    public String provider() {
        return provider;
    }

    /** The upstream's Retry-After value, passed on verbatim, when it sent one. */
    public Optional<String> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
