package dev.devloop.tools.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a health agent needs from a Quarkus service's Prometheus metrics: HTTP traffic, errors and
 * latency, JVM heap and threads, CPU, the service's own {@code devloop_*} metrics, and findings that
 * cross the thresholds below.
 */
public record MetricsSummary(
        int samples,
        double httpRequests,
        double http5xx,
        Double meanLatencyMs,
        Double maxLatencyMs,
        Double heapUsedBytes,
        Double heapMaxBytes,
        Double threadsLive,
        Double processCpuUsage,
        Double uptimeSeconds,
        Map<String, Double> devloopMetrics,
        List<String> findings) {

    /** Share of 5xx responses above which a finding is raised. */
    public static final double ERROR_RATE_THRESHOLD = 0.05;
    /** Heap use (of max) above which a finding is raised. */
    public static final double HEAP_THRESHOLD = 0.85;
    /** Mean latency above which a finding is raised, in milliseconds. */
    public static final double LATENCY_THRESHOLD_MS = 1000;
    /** Process CPU use above which a finding is raised. */
    public static final double CPU_THRESHOLD = 0.9;

    public static MetricsSummary of(List<PrometheusText.Sample> samples, int maxDevloopMetrics) {
        double requests = 0;
        double errors = 0;
        double latencySum = 0;
        Double maxLatency = null;
        Double heapUsed = null;
        Double heapMax = null;
        Double threads = null;
        Double cpu = null;
        Double uptime = null;
        Map<String, Double> devloop = new TreeMap<>();
        for (PrometheusText.Sample s : samples) {
            switch (s.name()) {
                case "http_server_requests_seconds_count" -> {
                    requests += s.value();
                    if (s.label("status").startsWith("5")) {
                        errors += s.value();
                    }
                }
                case "http_server_requests_seconds_sum" -> latencySum += s.value();
                case "http_server_requests_seconds_max" -> maxLatency = max(maxLatency, s.value() * 1000);
                case "jvm_memory_used_bytes" ->
                    heapUsed = "heap".equals(s.label("area")) ? plus(heapUsed, s.value()) : heapUsed;
                case "jvm_memory_max_bytes" ->
                    heapMax = "heap".equals(s.label("area")) && s.value() > 0 ? plus(heapMax, s.value()) : heapMax;
                case "jvm_threads_live_threads" -> threads = s.value();
                case "process_cpu_usage" -> cpu = s.value();
                case "process_uptime_seconds" -> uptime = s.value();
                default -> {
                    if (s.name().startsWith("devloop_")
                            && (devloop.containsKey(s.name()) || devloop.size() < maxDevloopMetrics)) {
                        devloop.merge(s.name(), s.value(), Double::sum);
                    }
                }
            }
        }
        Double meanLatency = requests > 0 ? latencySum / requests * 1000 : null;
        List<String> findings = new ArrayList<>();
        if (requests > 0 && errors / requests > ERROR_RATE_THRESHOLD) {
            findings.add(String.format("%.0f of %.0f HTTP requests failed with 5xx", errors, requests));
        }
        if (meanLatency != null && meanLatency > LATENCY_THRESHOLD_MS) {
            findings.add(String.format("mean HTTP latency is %.0f ms", meanLatency));
        }
        if (heapUsed != null && heapMax != null && heapUsed / heapMax > HEAP_THRESHOLD) {
            findings.add(String.format("heap is %.0f%% full", heapUsed / heapMax * 100));
        }
        if (cpu != null && cpu > CPU_THRESHOLD) {
            findings.add(String.format("process CPU use is %.0f%%", cpu * 100));
        }
        return new MetricsSummary(
                samples.size(),
                requests,
                errors,
                meanLatency,
                maxLatency,
                heapUsed,
                heapMax,
                threads,
                cpu,
                uptime,
                devloop,
                findings);
    }

    private static Double plus(Double a, double b) {
        return a == null ? b : a + b;
    }

    private static Double max(Double a, double b) {
        return a == null ? b : Math.max(a, b);
    }
}
