package dev.devloop.agent.adapters.out.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.agent.config.AgentServiceConfig;
import dev.devloop.agent.domain.ComponentHealth;
import dev.devloop.agent.ports.out.HealthProbePort;
import dev.devloop.contracts.identity.CellTls;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * Reads a Quarkus service's {@code /q/health} (status and the checks that are DOWN) and
 * {@code /q/metrics} (Prometheus text: requests, 5xx answers, CPU, heap, threads), each bounded in time
 * and size. A service that answers healthy but fails too large a share of requests is DEGRADED.
 */
@ApplicationScoped
class HttpHealthProbe implements HealthProbePort {
    private static final int MAX_BODY = 4 * 1024 * 1024;
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+)");
    private final HttpClient http;
    private final Duration timeout;
    private final double degradedErrorRatio;
    private final long minRequests;
    private final ObjectMapper json;
    private final Clock clock;

    @Inject
    HttpHealthProbe(AgentServiceConfig config, ObjectMapper json, Clock clock, CellTls cellTls) {
        this(
                config.systemHealth().probeTimeout(),
                config.systemHealth().degradedErrorRatio(),
                config.systemHealth().degradedMinRequests(),
                cellTls.sslContext(),
                json,
                clock);
    }

    /**
     * With the cell's mTLS context when the cell runs mTLS (#17): the siblings' https endpoints carry certificates
     * from the cell's CA, and they ask for this service's certificate.
     */
    HttpHealthProbe(
            Duration timeout,
            double degradedErrorRatio,
            long minRequests,
            Optional<SSLContext> cellTls,
            ObjectMapper json,
            Clock clock) {
        this.timeout = timeout;
        this.degradedErrorRatio = degradedErrorRatio;
        this.minRequests = minRequests;
        HttpClient.Builder builder =
                HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER);
        cellTls.ifPresent(builder::sslContext);
        this.http = builder.build();
        this.json = json;
        this.clock = clock;
    }

    @Override
    public ComponentHealth probe(String component, String baseUrl) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        Map<String, Double> metrics = new LinkedHashMap<>();
        HttpResponse<InputStream> health;
        String body;
        try {
            health = get(base + "/q/health");
            body = read(health.body());
        } catch (IOException e) {
            return new ComponentHealth(
                    component,
                    base,
                    ComponentHealth.Status.DOWN,
                    "unreachable: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
                    metrics,
                    clock.instant());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ComponentHealth(
                    component, base, ComponentHealth.Status.DOWN, "interrupted", metrics, clock.instant());
        } catch (IllegalArgumentException e) {
            return new ComponentHealth(
                    component,
                    base,
                    ComponentHealth.Status.DOWN,
                    "invalid URL: " + e.getMessage(),
                    metrics,
                    clock.instant());
        }
        String status = "UNKNOWN";
        List<String> down = new ArrayList<>();
        try {
            JsonNode node = json.readTree(body);
            status = node.path("status").asText("UNKNOWN");
            for (JsonNode check : node.path("checks")) {
                if (!"UP".equals(check.path("status").asText())) {
                    down.add(check.path("name").asText("?"));
                }
            }
        } catch (IOException e) {
            // not a health document; judged by the status code below
        }
        readMetrics(base, metrics);
        if (health.statusCode() != 200 || !"UP".equals(status)) {
            String detail = "health " + health.statusCode() + " " + status
                    + (down.isEmpty() ? "" : ", checks down: " + String.join(", ", down));
            return new ComponentHealth(component, base, ComponentHealth.Status.DOWN, detail, metrics, clock.instant());
        }
        double requests = metrics.getOrDefault("http_requests", 0d);
        double errors = metrics.getOrDefault("http_5xx", 0d);
        if (requests >= minRequests && requests > 0 && errors / requests > degradedErrorRatio) {
            return new ComponentHealth(
                    component,
                    base,
                    ComponentHealth.Status.DEGRADED,
                    String.format(
                            java.util.Locale.ROOT,
                            "healthy, but %.0f of %.0f requests failed with 5xx",
                            errors,
                            requests),
                    metrics,
                    clock.instant());
        }
        return new ComponentHealth(
                component, base, ComponentHealth.Status.UP, "all health checks UP", metrics, clock.instant());
    }

    private void readMetrics(String base, Map<String, Double> metrics) {
        try {
            HttpResponse<InputStream> response = get(base + "/q/metrics");
            String text = read(response.body());
            if (response.statusCode() != 200) {
                return;
            }
            double requests = 0;
            double errors = 0;
            double heap = 0;
            for (String line : text.split("\n")) {
                if (line.isEmpty() || line.charAt(0) == '#') {
                    continue;
                }
                Matcher m = SAMPLE.matcher(line);
                if (!m.find()) {
                    continue;
                }
                String name = m.group(1);
                String labels = m.group(2) == null ? "" : m.group(2);
                double value;
                try {
                    value = Double.parseDouble(m.group(3));
                } catch (NumberFormatException e) {
                    continue;
                }
                switch (name) {
                    case "http_server_requests_seconds_count" -> {
                        requests += value;
                        if (labels.contains("outcome=\"SERVER_ERROR\"") || labels.matches(".*status=\"5\\d\\d\".*")) {
                            errors += value;
                        }
                    }
                    case "jvm_memory_used_bytes" -> heap += labels.contains("area=\"heap\"") ? value : 0;
                    case "process_cpu_usage" -> metrics.put("process_cpu_usage", value);
                    case "jvm_threads_live_threads" -> metrics.put("jvm_threads_live", value);
                    default -> {}
                }
            }
            metrics.put("http_requests", requests);
            metrics.put("http_5xx", errors);
            metrics.put("jvm_heap_used_bytes", heap);
        } catch (IOException | IllegalArgumentException e) {
            metrics.put("metrics_unavailable", 1d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HttpResponse<InputStream> get(String url) throws IOException, InterruptedException {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    }

    private static String read(InputStream in) throws IOException {
        try (in) {
            byte[] bytes = in.readNBytes(MAX_BODY);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
