package dev.devloop.gateway.adapters.out.http;

import dev.devloop.contracts.Headers;
import dev.devloop.contracts.identity.CellTls;
import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.gateway.config.GatewayConfig;
import dev.devloop.gateway.domain.Caller;
import dev.devloop.gateway.domain.DownstreamResponse;
import dev.devloop.gateway.domain.HopRequest;
import dev.devloop.gateway.domain.Service;
import dev.devloop.gateway.domain.StreamedAnswer;
import dev.devloop.gateway.ports.out.ServiceHopPort;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.quarkus.logging.Log;
import io.smallrye.faulttolerance.api.Guard;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * The generic hop to a sibling service: Vert.x client for buffered calls, JDK client for streamed relays, tenant
 * header, a token signed for the sibling ({@link SiblingCredentials}), W3C trace context, and per service and call
 * kind a bulkhead, a circuit breaker, a timeout and (idempotent calls only) retries.
 * The downstream answer passes through verbatim, bounded in size.
 */
@ApplicationScoped
public class HttpServiceHop implements ServiceHopPort {
    private static final List<String> ACCEPT = List.of("application/json", "application/problem+json", "*/*;q=0.1");
    private static final String ACCEPT_HEADER = String.join(", ", ACCEPT);

    private final GatewayConfig.Hop config;
    /** Streamed relays (an InputStream the relay reads as chunks arrive). */
    private final HttpClient http;
    /** Buffered calls, the hot path. */
    private final VertxExchange buffered;

    private final OpenTelemetry otel;
    private final MeterRegistry metrics;
    private final SiblingCredentials credentials;
    private final Map<String, Guarded> guards = new ConcurrentHashMap<>();
    private final Map<HopTimerKey, Timer> hopTimers = new ConcurrentHashMap<>();
    /** Ends streams that stay silent too long (one daemon thread for all of them). */
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gateway-stream-watchdog");
        t.setDaemon(true);
        return t;
    });

    /** The fault-tolerance guard (timeout, circuit breaker, retries) and the bulkhead of one service instance and call kind. */
    private record Guarded(Guard guard, BulkheadSlots slots) {}

    public HttpServiceHop(
            GatewayConfig config,
            OpenTelemetry otel,
            MeterRegistry metrics,
            Vertx vertx,
            SiblingCredentials credentials,
            CellTls cellTls) {
        this.config = config.hop();
        // read, write and long calls each have a bulkhead of max-concurrent per instance; none starves the others
        this.buffered = new VertxExchange(
                vertx, this.config.connectTimeout(), 3 * this.config.maxConcurrent(), cellTls.configuration());
        this.otel = otel;
        this.metrics = metrics;
        this.credentials = credentials;
        HttpClient.Builder streams = HttpClient.newBuilder()
                .connectTimeout(this.config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1);
        cellTls.sslContext().ifPresent(streams::sslContext); // the cell's CA and this service's certificate
        this.http = streams.build();
    }

    @Override
    public DownstreamResponse send(String baseUrl, Caller caller, HopRequest request) {
        String uri = uri(baseUrl, request).toString();
        Map<String, String> headers = headers(caller, request, ACCEPT_HEADER);
        Service service = request.service();
        Timer.Sample sample = Timer.start(metrics);
        String outcome = "error";
        try {
            Guarded guarded = guard(baseUrl, request);
            guarded.slots().acquire();
            DownstreamResponse answer;
            try {
                answer = guarded.guard().get(() -> exchange(uri, headers, request), DownstreamResponse.class);
            } finally {
                guarded.slots().release();
            }
            outcome = statusClass(answer.status());
            return answer;
        } catch (FailedAnswer e) {
            outcome = statusClass(e.answer.status());
            return e.answer;
        } catch (Unreachable e) {
            outcome = "unreachable";
            throw unreachable(service, e);
        } catch (TimeoutException e) {
            outcome = "timeout";
            throw e;
        } catch (RuntimeException e) {
            outcome = e.getClass().getSimpleName();
            throw e;
        } finally {
            sample.stop(hopTimer(service, request.method(), outcome));
        }
    }

    /** {@code devloop_gateway_hop_seconds} per service, method and outcome, looked up once (not per call). */
    private Timer hopTimer(Service service, String method, String outcome) {
        // a key of the parts themselves: no string built per call (the outcome and method are constants)
        return hopTimers.computeIfAbsent(
                new HopTimerKey(service, method, outcome),
                key -> metrics.timer(
                        "devloop_gateway_hop_seconds", "service", service.id(), "method", method, "outcome", outcome));
    }

    private record HopTimerKey(Service service, String method, String outcome) {}

    private static final String[] STATUS_CLASSES = {"0xx", "1xx", "2xx", "3xx", "4xx", "5xx"};

    /** {@code 2xx} … {@code 5xx} of a status, the same strings every call. */
    static String statusClass(int status) {
        int n = status / 100;
        return n >= 0 && n < STATUS_CLASSES.length ? STATUS_CLASSES[n] : n + "xx";
    }

    private static final TypeLiteral<CompletionStage<DownstreamResponse>> STAGE = new TypeLiteral<>() {};

    /**
     * The event-loop hop: the same bulkhead (waited for without a thread), circuit breaker, timeout and retries
     * (SmallRye's non-blocking mode for an action returning a {@link CompletionStage}), headers, bounds and metrics
     * as {@link #send}; the answer completes on the event loop that read it.
     */
    @Override
    public CompletionStage<DownstreamResponse> sendAsync(String baseUrl, Caller caller, HopRequest request) {
        String uri = uri(baseUrl, request).toString();
        Map<String, String> headers = headers(caller, request, ACCEPT_HEADER); // the caller's trace context, now
        Service service = request.service();
        Timer.Sample sample = Timer.start(metrics);
        CompletableFuture<DownstreamResponse> result = new CompletableFuture<>();
        Guarded guarded;
        try {
            guarded = guard(baseUrl, request);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        guarded.slots().acquireAsync().whenComplete((slot, refused) -> {
            if (refused != null) {
                finish(result, sample, service, request, null, refused);
                return;
            }
            CompletionStage<DownstreamResponse> call;
            try {
                call = guarded.guard().get(() -> exchangeAsync(uri, headers, request), STAGE);
            } catch (RuntimeException e) {
                call = CompletableFuture.failedFuture(e);
            }
            call.whenComplete((answer, failure) -> {
                guarded.slots().release();
                finish(result, sample, service, request, answer, failure);
            });
        });
        return result;
    }

    /** Maps an async outcome as {@link #send} does: a 5xx is passed on as the answer, unreachable becomes a 503 problem. */
    private void finish(
            CompletableFuture<DownstreamResponse> result,
            Timer.Sample sample,
            Service service,
            HopRequest request,
            DownstreamResponse answer,
            Throwable failure) {
        String outcome;
        Throwable e = failure;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e == null) {
            outcome = statusClass(answer.status());
            result.complete(answer);
        } else if (e instanceof FailedAnswer failed) {
            outcome = statusClass(failed.answer.status());
            result.complete(failed.answer);
        } else if (e instanceof Unreachable unreachable) {
            outcome = "unreachable";
            result.completeExceptionally(unreachable(service, unreachable));
        } else {
            outcome = e instanceof TimeoutException ? "timeout" : e.getClass().getSimpleName();
            result.completeExceptionally(e);
        }
        sample.stop(hopTimer(service, request.method(), outcome));
    }

    /** The non-blocking exchange, failing as {@link #exchange} throws (5xx as {@link FailedAnswer} for the breaker). */
    private CompletionStage<DownstreamResponse> exchangeAsync(
            String uri, Map<String, String> headers, HopRequest request) {
        // failures complete the stage with the exception itself (no CompletionException), as the guard's failOn expects
        CompletableFuture<DownstreamResponse> outcome = new CompletableFuture<>();
        buffered.exchangeAsync(
                        request.method(), uri, headers, request.body(), timeoutOf(request), config.maxResponseBytes())
                .whenComplete((response, failure) -> {
                    if (failure instanceof VertxExchange.Deadline) {
                        outcome.completeExceptionally(timedOut(request));
                    } else if (failure instanceof VertxExchange.TooLarge) {
                        outcome.completeExceptionally(new ProblemException(Problem.of(
                                502,
                                "dependency-answer-too-large",
                                "Bad gateway",
                                request.service().id() + " answered with more than " + config.maxResponseBytes()
                                        + " bytes")));
                    } else if (failure != null) {
                        outcome.completeExceptionally(new Unreachable(failure.getMessage()));
                    } else {
                        // the exchange's own fresh bytes: taken over, not copied
                        DownstreamResponse answer = DownstreamResponse.adopt(
                                response.status(),
                                response.contentType(),
                                pathOf(response.location()),
                                response.body(),
                                response.nextAfter());
                        if (response.status() >= 500) {
                            outcome.completeExceptionally(new FailedAnswer(answer));
                        } else {
                            outcome.complete(answer);
                        }
                    }
                });
        return outcome;
    }

    /**
     * Tenant and subject (both from the caller's verified token; a client's own copies are never forwarded, since
     * only these headers are), the gateway's token for the sibling (never the caller's public token), Accept, the
     * W3C trace context and, with a body, its Content-Type.
     */
    private Map<String, String> headers(Caller caller, HopRequest request, String accept) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(Headers.TENANT, caller.tenant());
        headers.put(Headers.SUBJECT, caller.subject());
        headers.put("Authorization", credentials.authorization(request.service(), caller));
        headers.put("Accept", accept);
        otel.getPropagators().getTextMapPropagator().inject(Context.current(), headers, Map::put);
        if (hasBody(request)) {
            headers.put("Content-Type", request.contentType() == null ? "application/json" : request.contentType());
        }
        return headers;
    }

    private static boolean hasBody(HopRequest request) {
        return request.body().length > 0 || !"GET".equals(request.method()) && !"DELETE".equals(request.method());
    }

    private HttpRequest outgoing(String baseUrl, Caller caller, HopRequest request, String accept) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(baseUrl, request))
                // the bound until the answer's headers (a streamed body is bounded by stream-idle-timeout)
                .timeout(timeoutOf(request));
        headers(caller, request, accept).forEach(builder::header);
        builder.method(
                request.method(),
                hasBody(request)
                        ? HttpRequest.BodyPublishers.ofByteArray(request.body())
                        : HttpRequest.BodyPublishers.noBody());
        return builder.build();
    }

    /**
     * Opens a streamed exchange: the guard (bulkhead slot, circuit breaker, timeout until the headers) covers
     * the opening; the slot is held until the answer is closed; the body is cut when nothing arrives for
     * {@code hop.stream-idle-timeout} or after {@code hop.max-response-bytes}. Never retried.
     */
    @Override
    public StreamedAnswer open(String baseUrl, Caller caller, HopRequest request) {
        HopRequest once = new HopRequest(
                request.service(),
                request.method(),
                request.path(),
                request.query(),
                request.body(),
                request.contentType(),
                false,
                true);
        HttpRequest outgoing = outgoing(baseUrl, caller, once, "text/event-stream, " + String.join(", ", ACCEPT));
        Service service = request.service();
        Guarded guarded = guard(baseUrl, once);
        guarded.slots().acquire();
        Timer.Sample sample = Timer.start(metrics);
        String outcome = "error";
        boolean handedOver = false;
        try {
            Opened opened = guarded.guard().get(() -> openExchange(outgoing, once), Opened.class);
            outcome = "stream-" + opened.response().statusCode() / 100 + "xx";
            StreamedAnswer answer = new JdkStreamedAnswer(
                    opened.response(),
                    guarded.slots(),
                    watchdog,
                    config.streamIdleTimeout(),
                    config.maxResponseBytes());
            handedOver = true;
            return answer;
        } catch (FailedAnswer e) {
            outcome = "stream-" + e.answer.status() / 100 + "xx";
            return new BufferedAnswer(e.answer);
        } catch (Unreachable e) {
            outcome = "unreachable";
            throw unreachable(service, e);
        } catch (TimeoutException e) {
            outcome = "timeout";
            throw e;
        } catch (RuntimeException e) {
            outcome = e.getClass().getSimpleName();
            throw e;
        } finally {
            if (!handedOver) {
                guarded.slots().release();
            }
            sample.stop(hopTimer(service, request.method(), outcome));
        }
    }

    private static ProblemException unreachable(Service service, Unreachable e) {
        Log.warnf("%s unreachable: %s", service.id(), e.getMessage());
        return ProblemException.unavailable(
                service.id() + "-unavailable", service.id() + " could not be reached: " + e.getMessage());
    }

    /** The opened exchange (status and headers arrived); a 5xx is read whole and thrown for the circuit breaker. */
    private Opened openExchange(HttpRequest outgoing, HopRequest request) {
        try {
            HttpResponse<InputStream> response = http.send(outgoing, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() >= 500) {
                byte[] body;
                try (InputStream in = response.body()) {
                    body = in.readNBytes(config.maxResponseBytes());
                }
                throw new FailedAnswer(new DownstreamResponse(
                        response.statusCode(),
                        response.headers().firstValue("Content-Type").orElse(null),
                        null,
                        body));
            }
            return new Opened(response);
        } catch (HttpTimeoutException e) {
            throw timedOut(request);
        } catch (IOException e) {
            throw new Unreachable(
                    e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimeoutException(
                    "interrupted while waiting for " + request.service().id());
        }
    }

    /** Holder so the guard gets a concrete result type. */
    record Opened(HttpResponse<InputStream> response) {}

    @PreDestroy
    void stop() {
        watchdog.shutdownNow();
        buffered.close();
    }

    private DownstreamResponse exchange(String uri, Map<String, String> headers, HopRequest request) {
        try {
            VertxExchange.Answer response = buffered.exchange(
                    request.method(), uri, headers, request.body(), timeoutOf(request), config.maxResponseBytes());
            DownstreamResponse answer = new DownstreamResponse(
                    response.status(),
                    response.contentType(),
                    pathOf(response.location()),
                    response.body(),
                    response.nextAfter());
            if (response.status() >= 500) {
                throw new FailedAnswer(answer);
            }
            return answer;
        } catch (VertxExchange.Deadline e) {
            throw timedOut(request);
        } catch (VertxExchange.TooLarge e) {
            throw new ProblemException(Problem.of(
                    502,
                    "dependency-answer-too-large",
                    "Bad gateway",
                    request.service().id() + " answered with more than " + config.maxResponseBytes() + " bytes"));
        } catch (IOException e) {
            throw new Unreachable(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimeoutException(
                    "interrupted while waiting for " + request.service().id());
        }
    }

    /** The bound of one attempt: each exchange's own timer (the guard has no timeout of its own, see {@link #guard}). */
    private Duration timeoutOf(HopRequest request) {
        return request.longRunning() ? config.longTimeout() : config.timeout();
    }

    /** What the guard's timeout threw: counted by the circuit breaker, retried, answered 504. */
    private static TimeoutException timedOut(HopRequest request) {
        return new TimeoutException(request.service().id() + " did not answer in time");
    }

    /**
     * One guard and bulkhead per service instance (base URL, so each cell has its own circuit) and call kind.
     * The guard holds the circuit breaker and the retries only: a SmallRye timeout costs a timer task on its own
     * thread per attempt and, non-blocking, a stage more; each exchange bounds itself instead ({@link #timeoutOf})
     * and fails with the same {@link TimeoutException}, which the breaker counts and the retries retry as before.
     */
    private Guarded guard(String baseUrl, HopRequest request) {
        String kind = request.longRunning() ? "long" : request.idempotent() ? "read" : "write";
        return guards.computeIfAbsent(request.service().id() + "/" + kind + "@" + baseUrl, name -> {
            Guard.Builder builder = Guard.create()
                    .withDescription("hop " + name)
                    // the event-loop exchange starts where it is called: offloaded, each hop was one more task on
                    // the event loop, wrapped for context propagation (stop 24's profile); blocking calls never are
                    .withThreadOffload(false)
                    .withCircuitBreaker()
                    .requestVolumeThreshold(config.circuitVolume())
                    .failureRatio(config.circuitFailureRatio())
                    .delay(config.circuitDelay().toMillis(), ChronoUnit.MILLIS)
                    .failOn(List.of(Unreachable.class, FailedAnswer.class, TimeoutException.class))
                    .done();
            if (request.idempotent()) {
                builder.withRetry()
                        .maxRetries(config.retries())
                        .delay(config.retryDelay().toMillis(), ChronoUnit.MILLIS)
                        .jitter(config.retryDelay().toMillis(), ChronoUnit.MILLIS)
                        .whenException(HttpServiceHop::retryable)
                        .done();
            }
            BulkheadSlots slots =
                    new BulkheadSlots("hop " + name, config.maxConcurrent(), config.maxQueued(), config.queueWait());
            metrics.gauge(
                    "devloop_gateway_hop_bulkhead_waiting",
                    List.of(
                            Tag.of("service", request.service().id()),
                            Tag.of("kind", kind),
                            Tag.of("instance", baseUrl)),
                    slots,
                    BulkheadSlots::waiting);
            return new Guarded(builder.build(), slots);
        });
    }

    /** Transport failures, timeouts and 502/503/504 answers are worth another try; nothing else is. */
    static boolean retryable(Throwable e) {
        return e instanceof Unreachable
                || e instanceof TimeoutException
                || e instanceof FailedAnswer failed && failed.answer.status() >= 502 && failed.answer.status() <= 504;
    }

    private static URI uri(String baseUrl, HopRequest request) {
        String query = request.query() == null || request.query().isEmpty() ? "" : "?" + request.query();
        return URI.create(baseUrl + request.path() + query);
    }

    /** Keeps only the path of a downstream {@code Location}: its host is internal. */
    private static String pathOf(String location) {
        if (location == null || location.isBlank()) {
            return null;
        }
        try {
            return URI.create(location).getRawPath();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The service could not be reached (connection refused, reset, …). */
    static final class Unreachable extends RuntimeException {
        Unreachable(String message) {
            super(message, null, false, false);
        }
    }

    /** A 5xx answer: counted by the circuit breaker, retried when {@link #retryable}, then passed on as it was. */
    static final class FailedAnswer extends RuntimeException {
        final transient DownstreamResponse answer;

        FailedAnswer(DownstreamResponse answer) {
            super("status " + answer.status(), null, false, false);
            this.answer = answer;
        }
    }
}
