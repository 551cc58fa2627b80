package dev.devloop.tools.adapters.out.forge.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.tools.ports.out.ForgePort.ForgeException;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * GitHub REST v3 over one pooled Vert.x {@link HttpClient}: the version and media-type headers, the bearer token
 * (sent to {@link GitHubForgeSettings#apiUrl()}'s origin only), conditional GETs through the {@link EtagCache},
 * {@code Link: rel="next"} pagination, the rate-limit gate, bounded bodies and the error mapping of
 * {@link GitHubErrors}.
 *
 * <p>The core Vert.x client rather than the Web client or the REST client: the body is read chunk by chunk so that an
 * answer over {@code maxResponseBytes} is refused without being buffered, and an Actions log is read keeping only
 * its tail; redirects are never followed (a log's signed URL is fetched without the token). The adapter's port is
 * synchronous, so each exchange waits for its future on the caller's (worker) thread, never on an event loop.
 */
final class GitHubHttp implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(GitHubHttp.class.getName());
    static final String API_VERSION = "2022-11-28";
    static final String MEDIA_TYPE = "application/vnd.github+json";
    static final String USER_AGENT = "devloop-tool-service";
    static final int MAX_CONNECTIONS = 4;

    /** An answer: status, headers (case-insensitive) and the body bytes. */
    record Answer(int status, MultiMap headers, byte[] body) {
        Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name)).map(String::strip).filter(v -> !v.isEmpty());
        }
    }

    /** One page of a paginated read: its JSON and the next page's URL, if GitHub named one. */
    record Page(JsonNode json, Optional<URI> next) {}

    /** The tail of a text body: at most the asked bytes; {@code truncated} when anything before them was dropped. */
    record Tail(byte[] bytes, boolean truncated) {}

    private final GitHubForgeSettings settings;
    private final Clock clock;
    private final HttpClient client;
    private final EtagCache etags;
    private final ObjectMapper json = new ObjectMapper();
    private final Object gate = new Object();
    private Instant blockedUntil = Instant.MIN;

    GitHubHttp(GitHubForgeSettings settings, Vertx vertx, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, settings.timeout().toMillis());
        HttpClientOptions options = new HttpClientOptions()
                .setConnectTimeout(timeoutMs)
                .setKeepAlive(true)
                .setVerifyHost(true)
                .setTryUseCompression(true)
                .setMaxRedirects(0);
        // few connections: GitHub asks integrations to call it serially per token (secondary rate limits)
        this.client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS));
        this.etags = new EtagCache(settings.etagCacheEntries(), settings.etagCacheBytes());
    }

    ObjectMapper json() {
        return json;
    }

    EtagCache etags() {
        return etags;
    }

    /** {@code <apiUrl>/<segments...>} with every segment percent-encoded (a branch's {@code /} included). */
    URI api(String... segments) {
        StringBuilder url = new StringBuilder(stripSlash(settings.apiUrl().toString()));
        for (String segment : segments) {
            // "." and ".." would be path navigation, not a name (git refs cannot be them anyway)
            url.append('/')
                    .append(
                            segment.equals(".") || segment.equals("..")
                                    ? segment.replace(".", "%2E")
                                    : encode(segment));
        }
        return URI.create(url.toString());
    }

    static URI withQuery(URI uri, String... keyValues) {
        StringBuilder url = new StringBuilder(uri.toString());
        char sep = uri.getRawQuery() == null ? '?' : '&';
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            url.append(sep).append(encode(keyValues[i])).append('=').append(encode(keyValues[i + 1]));
            sep = '&';
        }
        return URI.create(url.toString());
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** A GET through the ETag cache, mapped: a 2xx (or a 304 served from the cache) answers, anything else throws. */
    Page get(String tenant, URI uri, String what) {
        Optional<EtagCache.Entry> cached = etags.get(tenant, uri.toString());
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        cached.ifPresent(c -> headers.set("If-None-Match", c.etag()));
        Answer answer = api(HttpMethod.GET, uri, headers, null);
        byte[] body;
        Optional<String> link;
        if (answer.status() == 304 && cached.isPresent()) {
            body = cached.get().body();
            link = cached.get().link();
            LOG.fine(() -> "GitHub GET " + uri.getRawPath() + " → 304, served from the ETag cache");
        } else {
            GitHubErrors.check(answer, what, clock.instant(), json);
            body = answer.body();
            link = answer.header("Link");
            Optional<String> etag = answer.header("ETag");
            if (etag.isPresent()) {
                etags.put(tenant, uri.toString(), new EtagCache.Entry(etag.get(), body, link));
            } else {
                etags.remove(tenant, uri.toString());
            }
        }
        return new Page(parse(body, what), link.flatMap(l -> nextLink(l)));
    }

    /** A write (POST, PUT, PATCH) with a JSON body; a 2xx answers its JSON (or an empty object), else throws. */
    JsonNode send(HttpMethod method, URI uri, JsonNode body, String what) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().set("Content-Type", "application/json; charset=utf-8");
        Buffer payload;
        try {
            payload = Buffer.buffer(json.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new IllegalStateException("unwritable request body", e);
        }
        Answer answer = api(method, uri, headers, payload);
        GitHubErrors.check(answer, what, clock.instant(), json);
        return parse(answer.body(), what);
    }

    /**
     * A GET whose answer is expected to be a redirect (an Actions log): the {@code Location}, or the mapped error.
     */
    URI redirect(URI uri, String what) {
        Answer answer = api(HttpMethod.GET, uri, MultiMap.caseInsensitiveMultiMap(), null);
        if (answer.status() == 301 || answer.status() == 302 || answer.status() == 303 || answer.status() == 307) {
            String location = answer.header("Location")
                    .orElseThrow(() -> new ForgeException(502, "GitHub redirected " + what + " without a location"));
            URI target = uri.resolve(location);
            String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !sameOrigin(target, settings.apiUrl())) {
                throw new ForgeException(502, "GitHub redirected " + what + " to a non-https location");
            }
            return target;
        }
        GitHubErrors.check(answer, what, clock.instant(), json);
        throw new ForgeException(
                502, "GitHub answered " + what + " with " + answer.status() + " instead of a redirect");
    }

    /**
     * Reads a text body from a signed URL (no token sent), keeping its last {@code maxBytes}; stops reading after
     * {@code maxLogReadBytes} (then the tail is of what was read).
     */
    Tail tail(URI uri, int maxBytes, String what) {
        requireWorkerThread();
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        // the body handlers are attached in the send's own callback (on the request's context, before any chunk is
        // delivered); attached further down an outer chain they could run after the response ended
        Future<Tail> future = client.request(options(HttpMethod.GET, uri)).compose(req -> {
            sent.set(req);
            req.putHeader("User-Agent", USER_AGENT);
            return req.send().compose(resp -> {
                if (resp.statusCode() / 100 != 2) {
                    resp.request().reset();
                    return Future.failedFuture(new ForgeException(
                            502, "the log of " + what + " could not be read (" + resp.statusCode() + ")"));
                }
                return readTail(resp, maxBytes, settings.maxLogReadBytes());
            });
        });
        return await(future, sent, what);
    }

    private Answer api(HttpMethod method, URI uri, MultiMap headers, Buffer body) {
        requireWorkerThread();
        if (!sameOrigin(uri, settings.apiUrl())) {
            throw new ForgeException(502, "GitHub named a URL outside " + settings.apiUrl() + "; not followed");
        }
        refuseWhileRateLimited();
        headers.set("Accept", MEDIA_TYPE)
                .set("X-GitHub-Api-Version", API_VERSION)
                .set("User-Agent", USER_AGENT);
        settings.token().ifPresent(token -> headers.set("Authorization", "Bearer " + token));
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        Future<Answer> future = client.request(options(method, uri)).compose(req -> {
            sent.set(req);
            req.headers().addAll(headers);
            return (body == null ? req.send() : req.send(body))
                    .compose(resp -> readBounded(resp, settings.maxResponseBytes()));
        });
        Answer answer = await(future, sent, method + " " + uri.getRawPath());
        LOG.fine(() -> "GitHub " + method + " " + uri.getRawPath() + " → " + answer.status());
        noteRateLimit(answer);
        return answer;
    }

    private RequestOptions options(HttpMethod method, URI uri) {
        long ms = settings.timeout().toMillis();
        return new RequestOptions()
                .setMethod(method)
                .setAbsoluteURI(uri.toString())
                .setFollowRedirects(false)
                .setConnectTimeout(ms)
                .setIdleTimeout(ms);
    }

    private static void requireWorkerThread() {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("GitHub calls block: call them from a worker thread, not an event loop");
        }
    }

    private <T> T await(Future<T> future, AtomicReference<HttpClientRequest> sent, String what) {
        long ms = settings.timeout().toMillis();
        try {
            return future.toCompletionStage().toCompletableFuture().get(ms, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            reset(sent);
            throw new ForgeException(502, "GitHub did not answer " + what + " within " + ms + " ms");
        } catch (InterruptedException e) {
            reset(sent);
            Thread.currentThread().interrupt();
            throw new ForgeException(502, "interrupted while waiting for GitHub");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ForgeException refusal) {
                throw refusal;
            }
            if (e.getCause() instanceof TimeoutException || e.getCause() instanceof ConnectTimeoutException) {
                // Vert.x's own connect/idle timeout, which may fire just before the overall deadline
                reset(sent);
                throw new ForgeException(502, "GitHub did not answer " + what + " within " + ms + " ms");
            }
            LOG.log(Level.FINE, "GitHub exchange failed: " + what, e.getCause());
            throw new ForgeException(
                    502,
                    "GitHub could not be reached (" + e.getCause().getClass().getSimpleName() + ")");
        }
    }

    private static void reset(AtomicReference<HttpClientRequest> sent) {
        HttpClientRequest request = sent.get();
        if (request != null) {
            request.reset();
        }
    }

    private static Future<Answer> readBounded(HttpClientResponse resp, int maxBytes) {
        Promise<Answer> promise = Promise.promise();
        String length = resp.getHeader("Content-Length");
        if (length != null
                && length.chars().allMatch(Character::isDigit)
                && length.length() < 19
                && Long.parseLong(length) > maxBytes) {
            resp.request().reset();
            return Future.failedFuture(tooLarge(maxBytes));
        }
        Buffer body = Buffer.buffer();
        try {
            resp.exceptionHandler(promise::tryFail);
        } catch (IllegalStateException ended) {
            return Future.failedFuture(new ForgeException(502, "GitHub's answer ended before it could be read"));
        }
        resp.handler(chunk -> {
            if (body.length() + chunk.length() > maxBytes) {
                if (promise.tryFail(tooLarge(maxBytes))) {
                    resp.request().reset();
                }
            } else {
                body.appendBuffer(chunk);
            }
        });
        resp.endHandler(v -> promise.tryComplete(new Answer(resp.statusCode(), resp.headers(), body.getBytes())));
        return promise.future();
    }

    private static ForgeException tooLarge(int maxBytes) {
        return new ForgeException(502, "GitHub's answer is over " + maxBytes + " bytes; refused");
    }

    private static Future<Tail> readTail(HttpClientResponse resp, int maxBytes, long maxRead) {
        Promise<Tail> promise = Promise.promise();
        Buffer[] kept = {Buffer.buffer()};
        long[] read = {0};
        boolean[] dropped = {false};
        try {
            resp.exceptionHandler(promise::tryFail);
        } catch (IllegalStateException ended) {
            return Future.failedFuture(new ForgeException(502, "the log ended before it could be read"));
        }
        resp.handler(chunk -> {
            if (promise.future().isComplete()) {
                return;
            }
            long room = maxRead - read[0];
            Buffer part = chunk.length() > room ? chunk.getBuffer(0, (int) room) : chunk;
            read[0] += part.length();
            kept[0].appendBuffer(part);
            if (kept[0].length() > 2 * maxBytes) {
                kept[0] = kept[0].getBuffer(kept[0].length() - maxBytes, kept[0].length());
                dropped[0] = true;
            }
            if (read[0] >= maxRead) {
                promise.tryComplete(tailOf(kept[0], maxBytes, true));
                resp.request().reset();
            }
        });
        resp.endHandler(v -> promise.tryComplete(tailOf(kept[0], maxBytes, dropped[0])));
        return promise.future();
    }

    private static Tail tailOf(Buffer kept, int maxBytes, boolean dropped) {
        if (kept.length() <= maxBytes) {
            return new Tail(kept.getBytes(), dropped);
        }
        return new Tail(kept.getBytes(kept.length() - maxBytes, kept.length()), true);
    }

    private JsonNode parse(byte[] body, String what) {
        if (body.length == 0) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new ForgeException(502, "GitHub answered " + what + " with a body that is not JSON");
        }
    }

    // ---- rate limits: refuse locally while GitHub asked us to wait, rather than hammering it ----

    private void refuseWhileRateLimited() {
        Instant now = clock.instant();
        Instant until;
        synchronized (gate) {
            until = blockedUntil;
        }
        if (now.isBefore(until)) {
            long seconds = Math.max(1, (long) Math.ceil((until.toEpochMilli() - now.toEpochMilli()) / 1000.0));
            throw new ForgeException(
                    429, "GitHub rate limit: not calling GitHub again for " + seconds + " s", Optional.of(seconds));
        }
    }

    private void noteRateLimit(Answer answer) {
        Optional<Long> wait = GitHubErrors.rateLimitWait(answer, clock.instant(), json);
        if (wait.isEmpty()
                && answer.header("x-ratelimit-remaining").filter("0"::equals).isPresent()) {
            // the last allowed call succeeded: the next one would be refused until the reset
            wait = GitHubErrors.secondsUntilReset(answer, clock.instant());
        }
        wait.ifPresent(seconds -> {
            Instant until = clock.instant().plusSeconds(seconds);
            synchronized (gate) {
                if (until.isAfter(blockedUntil)) {
                    blockedUntil = until;
                }
            }
        });
    }

    // ---- pagination ----

    /** The {@code rel="next"} target of a {@code Link} header, if any. */
    static Optional<URI> nextLink(String header) {
        for (String part : header.split(",")) {
            String[] pieces = part.split(";");
            String target = pieces[0].strip();
            if (!target.startsWith("<") || !target.endsWith(">")) {
                continue;
            }
            for (int i = 1; i < pieces.length; i++) {
                String param = pieces[i].strip().replace(" ", "");
                if (param.equalsIgnoreCase("rel=\"next\"") || param.equalsIgnoreCase("rel=next")) {
                    try {
                        return Optional.of(URI.create(target.substring(1, target.length() - 1)));
                    } catch (IllegalArgumentException e) {
                        return Optional.empty();
                    }
                }
            }
        }
        return Optional.empty();
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null
                && b.getScheme() != null
                && a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    @Override
    public void close() {
        client.close();
    }
}
