package dev.devloop.tools.adapters.out.forge.github;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What the GitHub adapter needs, built by the wiring from {@code devloop.tools.forge.github.*} and the repositories
 * whose {@code devloop.tools.forge.repositories.<name>.kind} is {@code github}.
 *
 * @param apiUrl REST v3 root: {@code https://api.github.com}, or {@code https://<host>/api/v3} for GitHub Enterprise
 *     Server; only this origin ever receives the token
 * @param token the operator's token (fine-grained PAT or classic {@code repo}); never in {@link #toString()}
 * @param repositories configured repository name → its GitHub {@code owner}/{@code repo}
 * @param timeout bound of one HTTP exchange (connect + answer), and of each page of a paginated read
 * @param maxPages how many {@code Link: rel="next"} pages one read follows at most (1..100)
 * @param perPage {@code per_page} of paginated reads (1..100, GitHub's maximum)
 * @param etagCacheEntries how many conditional-GET answers are kept (LRU), across tenants
 * @param etagCacheBytes how many body bytes the ETag cache holds at most (LRU eviction past it)
 * @param maxResponseBytes a larger API answer is refused (502) rather than buffered
 * @param maxLogReadBytes how much of an Actions job log is read at most while keeping its tail
 */
public record GitHubForgeSettings(
        URI apiUrl,
        Optional<String> token,
        Map<String, Repo> repositories,
        Duration timeout,
        int maxPages,
        int perPage,
        int etagCacheEntries,
        long etagCacheBytes,
        int maxResponseBytes,
        long maxLogReadBytes) {

    public static final URI DEFAULT_API_URL = URI.create("https://api.github.com");
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_PAGES = 10;
    public static final int DEFAULT_PER_PAGE = 100;
    public static final int DEFAULT_ETAG_CACHE_ENTRIES = 1000;
    public static final long DEFAULT_ETAG_CACHE_BYTES = 16L * 1024 * 1024;
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
    public static final long DEFAULT_MAX_LOG_READ_BYTES = 8L * 1024 * 1024;

    /** GitHub's owner (user/organisation) and repository names. */
    public record Repo(String owner, String repo) {
        private static final Pattern OWNER = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})");
        private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

        public Repo {
            if (owner == null || !OWNER.matcher(owner).matches()) {
                throw new IllegalArgumentException("GitHub owner must be 1..39 letters, digits or '-': " + owner);
            }
            if (repo == null || !NAME.matcher(repo).matches() || repo.equals(".") || repo.equals("..")) {
                throw new IllegalArgumentException("GitHub repository name must be 1..100 of [A-Za-z0-9._-]: " + repo);
            }
        }
    }

    public GitHubForgeSettings {
        Objects.requireNonNull(apiUrl, "apiUrl");
        String scheme = apiUrl.getScheme() == null ? "" : apiUrl.getScheme().toLowerCase(Locale.ROOT);
        if (!apiUrl.isAbsolute()
                || !(scheme.equals("https") || scheme.equals("http"))
                || apiUrl.getHost() == null
                || apiUrl.getRawQuery() != null
                || apiUrl.getRawFragment() != null
                || apiUrl.getRawUserInfo() != null) {
            throw new IllegalArgumentException("devloop.tools.forge.github.api-url must be an http(s) URL without "
                    + "user info, query or fragment: " + apiUrl);
        }
        token = Objects.requireNonNullElse(token, Optional.<String>empty())
                .map(String::strip)
                .filter(t -> !t.isEmpty());
        if (token.isPresent() && token.get().chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw new IllegalArgumentException(
                    "devloop.tools.forge.github.token contains characters a token cannot have");
        }
        repositories = Map.copyOf(new TreeMap<>(Objects.requireNonNull(repositories, "repositories")));
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("GitHub timeout must be within (0, 5 min]: " + timeout);
        }
        requireWithin("maxPages", maxPages, 1, 100);
        requireWithin("perPage", perPage, 1, 100);
        requireWithin("etagCacheEntries", etagCacheEntries, 0, 1_000_000);
        requireWithin("etagCacheBytes", etagCacheBytes, 0, 1L << 30);
        requireWithin("maxResponseBytes", maxResponseBytes, 1024, 64 * 1024 * 1024);
        requireWithin("maxLogReadBytes", maxLogReadBytes, 1024, 256L * 1024 * 1024);
    }

    /** The defaults for everything but the URL, the token and the repositories. */
    public static GitHubForgeSettings of(URI apiUrl, Optional<String> token, Map<String, Repo> repositories) {
        return new GitHubForgeSettings(
                apiUrl,
                token,
                repositories,
                DEFAULT_TIMEOUT,
                DEFAULT_MAX_PAGES,
                DEFAULT_PER_PAGE,
                DEFAULT_ETAG_CACHE_ENTRIES,
                DEFAULT_ETAG_CACHE_BYTES,
                DEFAULT_MAX_RESPONSE_BYTES,
                DEFAULT_MAX_LOG_READ_BYTES);
    }

    private static void requireWithin(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("GitHub " + name + " must be within " + min + ".." + max + ": " + value);
        }
    }

    /** The token is never printed: only whether there is one. */
    @Override
    public String toString() {
        return "GitHubForgeSettings[apiUrl=" + apiUrl + ", token=" + (token.isPresent() ? "***" : "<none>")
                + ", repositories=" + repositories + ", timeout=" + timeout + ", maxPages=" + maxPages + ", perPage="
                + perPage + ", etagCacheEntries=" + etagCacheEntries + ", etagCacheBytes=" + etagCacheBytes
                + ", maxResponseBytes=" + maxResponseBytes + ", maxLogReadBytes=" + maxLogReadBytes + "]";
    }
}
