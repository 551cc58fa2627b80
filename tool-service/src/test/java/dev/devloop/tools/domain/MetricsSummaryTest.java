package dev.devloop.tools.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Prometheus text parsing and the health summary built from it. */
public class MetricsSummaryTest {
    public static final String PAGE = """
      # HELP http_server_requests_seconds
      # TYPE http_server_requests_seconds summary
      http_server_requests_seconds_count{method="GET",outcome="SUCCESS",status="200",uri="/facts"} 90.0
      http_server_requests_seconds_sum{method="GET",outcome="SUCCESS",status="200",uri="/facts"} 180.0
      http_server_requests_seconds_count{method="PUT",outcome="SERVER_ERROR",status="503",uri="/facts"} 10.0
      http_server_requests_seconds_sum{method="PUT",outcome="SERVER_ERROR",status="503",uri="/facts"} 20.0
      http_server_requests_seconds_max{method="GET",outcome="SUCCESS",status="200",uri="/facts"} 4.5
      jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 450.0
      jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 9999.0
      jvm_memory_max_bytes{area="heap",id="G1 Eden Space"} 500.0
      jvm_memory_max_bytes{area="heap",id="G1 Survivor Space"} -1.0
      jvm_threads_live_threads 42.0
      process_cpu_usage 0.25
      devloop_knowledge_facts_total{tier="short"} 3.0
      devloop_knowledge_facts_total{tier="long"} 4.0
      weird_metric{label="with \\"quote\\", comma"} NaN
      broken line without value
      """;

    @Test
    void parsesSamplesWithLabelsAndSkipsNoise() {
        List<PrometheusText.Sample> samples = PrometheusText.parse(PAGE);
        assertThat(samples).hasSize(14);
        assertThat(samples.get(13).label("label")).isEqualTo("with \"quote\", comma");
        assertThat(samples.get(0).label("status")).isEqualTo("200");
    }

    @Test
    void summarisesTrafficErrorsLatencyAndHeapWithFindings() {
        MetricsSummary s = MetricsSummary.of(PrometheusText.parse(PAGE), 10);
        assertThat(s.httpRequests()).isEqualTo(100);
        assertThat(s.http5xx()).isEqualTo(10);
        assertThat(s.meanLatencyMs()).isEqualTo(2000);
        assertThat(s.maxLatencyMs()).isEqualTo(4500);
        assertThat(s.heapUsedBytes()).isEqualTo(450);
        assertThat(s.heapMaxBytes()).isEqualTo(500);
        assertThat(s.threadsLive()).isEqualTo(42);
        assertThat(s.devloopMetrics()).containsEntry("devloop_knowledge_facts_total", 7.0);
        assertThat(s.findings())
                .containsExactly(
                        "10 of 100 HTTP requests failed with 5xx", "mean HTTP latency is 2000 ms", "heap is 90% full");
    }

    @Test
    void aQuietServiceHasNoFindings() {
        MetricsSummary s = MetricsSummary.of(PrometheusText.parse("process_cpu_usage 0.1\n"), 10);
        assertThat(s.findings()).isEmpty();
        assertThat(s.meanLatencyMs()).isNull();
    }
}
