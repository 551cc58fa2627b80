package dev.devloop.provider.adapters.out.langchain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.provider.domain.ProviderFailure;
import dev.devloop.provider.domain.ProviderFailure.Kind;
import dev.langchain4j.exception.HttpException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;

/**
 * Classifies whatever a provider call threw (HTTP status, timeout, connection, bad JSON) into a
 * {@link ProviderFailure}. Error bodies of OpenAI, Anthropic and Gemini all carry {@code error.message}.
 */
public final class UpstreamErrors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_DETAIL = 300;

    private UpstreamErrors() {}

    public static ProviderFailure classify(String provider, Throwable error, Duration timeout) {
        return classify(provider, "the provider's API key", error, timeout);
    }

    /** As above; {@code keySetting} names the setting to check when credentials are rejected. */
    public static ProviderFailure classify(String provider, String keySetting, Throwable error, Duration timeout) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ProviderFailure pf) {
                return pf;
            }
            if (t instanceof UpstreamHttpException up) {
                return byStatus(provider, keySetting, up.status(), up.retryAfter(), up.body(), error);
            }
            if (t instanceof HttpException http) {
                return byStatus(provider, keySetting, http.statusCode(), null, http.getMessage(), error);
            }
            if (t instanceof JsonProcessingException) {
                return new ProviderFailure(
                        Kind.MALFORMED_RESPONSE,
                        provider,
                        "provider " + provider + " returned a body that is not valid JSON of its API",
                        null,
                        error);
            }
            if (isTimeout(t)) {
                return new ProviderFailure(
                        Kind.UNREACHABLE,
                        provider,
                        "provider " + provider + " did not answer within " + timeout.toSeconds() + " s",
                        null,
                        error);
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException) {
                return new ProviderFailure(
                        Kind.UNREACHABLE,
                        provider,
                        "provider " + provider + " could not be reached: "
                                + t.getClass().getSimpleName(),
                        null,
                        error);
            }
        }
        return new ProviderFailure(
                Kind.UPSTREAM_ERROR,
                provider,
                "provider " + provider + " call failed: " + error.getClass().getSimpleName(),
                null,
                error);
    }

    private static boolean isTimeout(Throwable t) {
        String name = t.getClass().getName().toLowerCase(Locale.ROOT);
        return t instanceof SocketTimeoutException
                || t instanceof java.util.concurrent.TimeoutException
                || name.endsWith("timeoutexception");
    }

    private static ProviderFailure byStatus(
            String provider, String keySetting, int status, String retryAfter, String body, Throwable cause) {
        String upstream = upstreamMessage(body);
        if (status == 401 || status == 403) {
            return new ProviderFailure(
                    Kind.CREDENTIALS_REJECTED,
                    provider,
                    "provider " + provider + " rejected credentials (HTTP " + status + "); check " + keySetting,
                    null,
                    cause);
        }
        if (status == 429) {
            return new ProviderFailure(
                    Kind.RATE_LIMITED,
                    provider,
                    "provider " + provider + " is rate limiting (HTTP 429)" + upstream,
                    retryAfter,
                    cause);
        }
        if (status >= 500) {
            return new ProviderFailure(
                    Kind.UPSTREAM_ERROR,
                    provider,
                    "provider " + provider + " failed (HTTP " + status + ")" + upstream,
                    null,
                    cause);
        }
        return new ProviderFailure(
                Kind.REQUEST_REJECTED,
                provider,
                "provider " + provider + " rejected the request (HTTP " + status + ")" + upstream,
                null,
                cause);
    }

    /** The upstream's own error message ({@code error.message}), shortened, or empty. */
    private static String upstreamMessage(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String message = null;
        try {
            JsonNode node = JSON.readTree(body);
            JsonNode m = node.path("error").path("message");
            if (m.isTextual()) {
                message = m.asText();
            }
        } catch (JsonProcessingException e) {
            message = null;
        }
        if (message == null || message.isBlank()) {
            return "";
        }
        return ": " + (message.length() > MAX_DETAIL ? message.substring(0, MAX_DETAIL) + "…" : message);
    }
}
