package dev.devloop.tools.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.tools.domain.AddressRanges;
import dev.devloop.tools.domain.MetricsSummary;
import dev.devloop.tools.domain.PrometheusText;
import dev.devloop.tools.domain.ToolKind;
import dev.devloop.tools.ports.out.DownstreamException;
import dev.devloop.tools.ports.out.NetworkPort;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The network tools. {@code check_connectivity} probes a Devloop service by name or an allow-listed
 * host (which must resolve to public addresses only: no loopback, metadata or private ranges), and
 * never follows redirects; {@code analyze_metrics} reads and summarises a Devloop service's
 * {@code /q/metrics}. Anything else is denied by rule {@code networkAllowList} or {@code ssrf}.
 */
public final class NetworkTools {
    public static final String CHECK_CONNECTIVITY = "check_connectivity";
    public static final String ANALYZE_METRICS = "analyze_metrics";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final NetworkPort network;
    private final NetworkSettings settings;

    public NetworkTools(NetworkPort network, NetworkSettings settings) {
        this.network = network;
        this.settings = settings;
    }

    public List<ToolExecutor> executors() {
        return List.of(
                executor(CHECK_CONNECTIVITY, this::checkConnectivity), executor(ANALYZE_METRICS, this::analyzeMetrics));
    }

    private JsonNode checkConnectivity(ToolCall call) {
        JsonNode args = call.arguments();
        String target = args.path("target").asText().toLowerCase(Locale.ROOT);
        URI service = settings.services().get(target);
        String protocol = args.path("protocol").asText(service != null ? "http" : "tcp");
        String host;
        int port;
        InetAddress address;
        if (service != null) {
            host = service.getHost();
            port = args.has("port") ? args.get("port").asInt() : portOf(service);
            address = resolve(host).get(0);
        } else {
            if (!settings.allowedHosts().contains(target)) {
                throw ToolProblems.denied(
                        "networkAllowList",
                        "target",
                        "'" + target
                                + "' is neither a Devloop service "
                                + new TreeSet<>(settings.services().keySet())
                                + " nor an allow-listed host");
            }
            host = target;
            port = args.has("port") ? args.get("port").asInt() : 443;
            List<InetAddress> addresses = resolve(host);
            for (InetAddress a : addresses) {
                Optional<String> range = AddressRanges.forbidden(a);
                if (range.isPresent()) {
                    throw ToolProblems.denied(
                            "ssrf",
                            "target",
                            "'" + host + "' resolves to " + a.getHostAddress() + ", a " + range.get() + " address");
                }
            }
            address = addresses.get(0);
        }
        ObjectNode out = JsonNodeFactory.instance
                .objectNode()
                .put("target", target)
                .put("protocol", protocol)
                .put("address", address.getHostAddress())
                .put("port", port);
        try {
            if ("http".equals(protocol)) {
                URI uri = service != null
                        ? service.resolve("/q/health/live")
                        : URI.create("http://" + literal(address) + ":" + port + "/");
                NetworkPort.HttpAnswer answer = network.get(uri, settings.timeoutMs(), 4096);
                out.put("reachable", true).put("status", answer.status());
                if (answer.location() != null) {
                    out.put("redirect", answer.location()).put("redirectFollowed", false);
                }
            } else {
                network.connect(address, port, settings.timeoutMs());
                out.put("reachable", true);
            }
        } catch (DownstreamException e) {
            out.put("reachable", false).put("error", e.getMessage());
        }
        return out;
    }

    private JsonNode analyzeMetrics(ToolCall call) {
        String name = call.arguments().path("service").asText().toLowerCase(Locale.ROOT);
        URI service = settings.services().get(name);
        if (service == null) {
            throw ToolProblems.denied(
                    "networkAllowList",
                    "service",
                    "'" + name + "' is not a Devloop service "
                            + new TreeSet<>(settings.services().keySet()));
        }
        NetworkPort.HttpAnswer answer;
        try {
            answer = network.get(service.resolve("/q/metrics"), settings.timeoutMs(), settings.maxMetricsBytes());
        } catch (DownstreamException e) {
            throw new ToolFailure(name + " metrics are unreachable: " + e.getMessage());
        }
        if (answer.status() != 200) {
            throw new ToolFailure(name + " /q/metrics answered " + answer.status()
                    + (answer.location() != null ? " (redirect not followed)" : ""));
        }
        MetricsSummary summary = MetricsSummary.of(PrometheusText.parse(answer.body()), settings.maxReportedMetrics());
        ObjectNode out = JSON.valueToTree(summary);
        out.put("service", name).put("truncated", answer.bodyTruncated());
        return out;
    }

    private List<InetAddress> resolve(String host) {
        try {
            return network.resolve(host);
        } catch (DownstreamException e) {
            throw new ToolFailure(e.getMessage());
        }
    }

    private static int portOf(URI uri) {
        if (uri.getPort() > 0) {
            return uri.getPort();
        }
        return "https".equals(uri.getScheme()) ? 443 : 80;
    }

    private static String literal(InetAddress address) {
        String text = address.getHostAddress();
        return text.contains(":") ? "[" + text + "]" : text;
    }

    private static ToolExecutor executor(String name, Function<ToolCall, JsonNode> body) {
        return ToolExecutor.of(name, ToolKind.NATIVE, body);
    }
}
