package dev.devloop.tools.adapters.out.forge.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.tools.ports.out.ForgePort.ForgeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * GitHub's refusals → {@link ForgeException} (docs/delivery.md, "The forge port"): 401 → 502 "forge credentials
 * rejected"; 403/429 rate limits → 429 with the seconds to wait ({@code Retry-After}, else {@code
 * x-ratelimit-remaining: 0} + {@code x-ratelimit-reset}, else a minute for a secondary limit, as GitHub's docs ask);
 * any other 403 → 403; 404/410 → 404; 405/409 → 409; 422 → 422 with GitHub's {@code errors[]}; 5xx and anything
 * unexpected → 502. Messages carry GitHub's own {@code message} (bounded), never a request header.
 */
final class GitHubErrors {
    static final int MAX_MESSAGE_CHARS = 500;
    private static final long SECONDARY_DEFAULT_WAIT_SECONDS = 60;

    private GitHubErrors() {}

    /** Returns when {@code answer} is a 2xx; throws the mapped refusal otherwise. */
    static void check(GitHubHttp.Answer answer, String what, Instant now, ObjectMapper json) {
        int status = answer.status();
        if (status / 100 == 2) {
            return;
        }
        JsonNode body = body(answer, json);
        String message = bounded(text(body, "message").orElse(""));
        Optional<Long> wait = rateLimitWait(answer, now, json);
        if (wait.isPresent()) {
            boolean primary =
                    answer.header("x-ratelimit-remaining").filter("0"::equals).isPresent()
                            && answer.header("Retry-After").isEmpty();
            throw new ForgeException(
                    429,
                    (primary ? "GitHub API rate limit exhausted" : "GitHub secondary rate limit") + " while calling "
                            + what + "; retry after " + wait.get() + " s",
                    wait);
        }
        switch (status) {
            case 401 ->
                throw new ForgeException(
                        502,
                        "forge credentials rejected: GitHub answered 401" + suffix(message)
                                + " (check devloop.tools.forge.github.token)");
            case 403 ->
                throw new ForgeException(
                        403, "GitHub refused " + what + suffix(message) + " (the token may lack a permission)");
            case 404, 410 -> throw new ForgeException(404, "not found on GitHub: " + what);
            case 405, 409 -> throw new ForgeException(409, "GitHub refused " + what + suffix(message));
            case 422 ->
                throw new ForgeException(
                        422, "GitHub validation failed for " + what + suffix(message) + fieldErrors(body));
            default -> throw new ForgeException(502, "GitHub answered " + status + " for " + what + suffix(message));
        }
    }

    /**
     * How long GitHub asked us to wait, when {@code answer} is a rate-limit refusal (403 or 429): its {@code
     * Retry-After}, else the time to {@code x-ratelimit-reset} when {@code x-ratelimit-remaining} is 0, else a minute
     * when it is a secondary rate limit (a 429, or a 403 saying so). Empty for anything else.
     */
    static Optional<Long> rateLimitWait(GitHubHttp.Answer answer, Instant now, ObjectMapper json) {
        int status = answer.status();
        if (status != 403 && status != 429) {
            return Optional.empty();
        }
        Optional<Long> retryAfter = answer.header("Retry-After").flatMap(GitHubErrors::seconds);
        if (retryAfter.isPresent()) {
            return Optional.of(Math.max(1, retryAfter.get()));
        }
        if (answer.header("x-ratelimit-remaining").filter("0"::equals).isPresent()) {
            return Optional.of(secondsUntilReset(answer, now).orElse(SECONDARY_DEFAULT_WAIT_SECONDS));
        }
        String message = text(body(answer, json), "message").orElse("").toLowerCase(Locale.ROOT);
        if (status == 429 || message.contains("rate limit")) {
            return Optional.of(SECONDARY_DEFAULT_WAIT_SECONDS);
        }
        return Optional.empty();
    }

    /** Seconds from {@code now} to {@code x-ratelimit-reset} (epoch seconds), at least 1. */
    static Optional<Long> secondsUntilReset(GitHubHttp.Answer answer, Instant now) {
        return answer.header("x-ratelimit-reset")
                .flatMap(GitHubErrors::seconds)
                .map(reset -> Math.max(1, reset - now.getEpochSecond()));
    }

    private static Optional<Long> seconds(String value) {
        if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(value));
    }

    private static JsonNode body(GitHubHttp.Answer answer, ObjectMapper json) {
        if (answer.body().length == 0) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(answer.body());
        } catch (Exception e) {
            return json.createObjectNode();
        }
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() && !value.asText().isBlank()
                ? Optional.of(value.asText().strip())
                : Optional.empty();
    }

    private static String suffix(String message) {
        return message.isEmpty() ? "" : ": " + message;
    }

    /** GitHub's {@code errors[]}: objects {resource, field, code, message} or plain strings, at most 10 listed. */
    static String fieldErrors(JsonNode body) {
        JsonNode errors = body.path("errors");
        if (!errors.isArray() || errors.isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (JsonNode error : errors) {
            if (parts.size() == 10) {
                parts.add("… " + (errors.size() - 10) + " more");
                break;
            }
            if (error.isTextual()) {
                parts.add(bounded(error.asText()));
                continue;
            }
            Optional<String> field = text(error, "field");
            Optional<String> code = text(error, "code");
            Optional<String> resource = text(error, "resource");
            Optional<String> message = text(error, "message");
            StringBuilder part = new StringBuilder();
            field.ifPresent(f -> part.append("field '").append(bounded(f)).append("'"));
            if (message.isPresent()) {
                part.append(part.length() == 0 ? "" : " ").append(bounded(message.get()));
            } else {
                code.ifPresent(c -> part.append(part.length() == 0 ? "" : " ").append(bounded(c)));
            }
            resource.ifPresent(r -> part.append(" (").append(bounded(r)).append(")"));
            if (part.length() > 0) {
                parts.add(part.toString());
            }
        }
        return parts.isEmpty() ? "" : " — " + String.join("; ", parts);
    }

    static String bounded(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= MAX_MESSAGE_CHARS ? flat : flat.substring(0, MAX_MESSAGE_CHARS) + "…";
    }
}
