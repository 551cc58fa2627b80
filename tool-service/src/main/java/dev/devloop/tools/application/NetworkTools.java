package dev.devloop.tools.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.tools.domain.AddressRanges;
import dev.devloop.tools.domain.MetricsSummary;
import dev.devloop.tools.domain.NetworkEndpoint;
import dev.devloop.tools.domain.PrometheusText;
import dev.devloop.tools.ports.out.DownstreamException;
import dev.devloop.tools.ports.out.NetworkPort;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The network tools. {@code check_connectivity} probes a configured endpoint by name — on its one configured
 * port and protocol only (rule {@code networkEndpoint}) — or an allow-listed host on an allowed port, which must
 * resolve to public addresses only (no IANA special-purpose range: rule {@code ssrf}); it never follows
 * redirects. {@code analyze_metrics} reads and summarises a Devloop service's {@code /q/metrics}. Every name is
 * resolved once and the probe connects to the address that was checked. Anything else is denied by rule
 * {@code networkAllowList}.
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
                ToolExecutor.ofNative(CHECK_CONNECTIVITY, this::checkConnectivity),
                ToolExecutor.ofNative(ANALYZE_METRICS, this::analyzeMetrics));
    }

    private JsonNode checkConnectivity(ToolCall call) {
        JsonNode args = call.arguments();
        String target = args.path("target").asText().toLowerCase(Locale.ROOT);
        NetworkEndpoint endpoint = settings.endpoints().get(target);
        if (endpoint != null) {
            return probeEndpoint(args, endpoint);
        }
        if (!settings.allowedHosts().contains(target)) {
            throw ToolProblems.denied(
                    "networkAllowList",
                    "target",
                    "'" + target
                            + "' is neither a configured endpoint "
                            + new TreeSet<>(settings.endpoints().keySet())
                            + " nor an allow-listed host");
        }
        int port = args.has("port") ? args.get("port").asInt() : 443;
        if (!settings.allowedHostPorts().contains(port)) {
            throw ToolProblems.denied(
                    "networkEndpoint",
                    "port",
                    "allow-listed hosts may be probed on ports " + new TreeSet<>(settings.allowedHostPorts())
                            + " only, not " + port);
        }
        String protocol = args.path("protocol").asText("tcp");
        // resolved once; every address is checked and the probe goes to the checked one (no second lookup)
        List<InetAddress> addresses = resolve(target);
        for (InetAddress a : addresses) {
            Optional<String> range = AddressRanges.forbidden(a);
            if (range.isPresent()) {
                throw ToolProblems.denied(
                        "ssrf",
                        "target",
                        "'" + target + "' resolves to " + a.getHostAddress() + ", a " + range.get() + " address");
            }
        }
        return probe(target, protocol, addresses.get(0), port, URI.create("http://" + target + ":" + port + "/"));
    }

    /** A configured endpoint: only its own port and protocol; trusted, so its address is not range-checked. */
    private JsonNode probeEndpoint(JsonNode args, NetworkEndpoint endpoint) {
        if (args.has("port") && args.get("port").asInt() != endpoint.port()) {
            throw ToolProblems.denied(
                    "networkEndpoint",
                    "port",
                    "'" + endpoint.name() + "' may be probed on port " + endpoint.port() + " only, not "
                            + args.get("port").asInt());
        }
        String protocol = args.path("protocol").asText(endpoint.protocol());
        if (!protocol.equals(endpoint.protocol())) {
            throw ToolProblems.denied(
                    "networkEndpoint",
                    "protocol",
                    "'" + endpoint.name() + "' may be probed over " + endpoint.protocol() + " only, not " + protocol);
        }
        InetAddress address = resolve(endpoint.host()).get(0);
        URI service = settings.services().get(endpoint.name());
        URI uri = service != null
                ? endpointUri(service.getScheme(), endpoint, "/q/health/live")
                : endpointUri("http", endpoint, "/");
        return probe(endpoint.name(), protocol, address, endpoint.port(), uri);
    }

    private JsonNode probe(String target, String protocol, InetAddress address, int port, URI uri) {
        ObjectNode out = JsonNodeFactory.instance
                .objectNode()
                .put("target", target)
                .put("protocol", protocol)
                .put("address", address.getHostAddress())
                .put("port", port);
        try {
            if ("http".equals(protocol)) {
                NetworkPort.HttpAnswer answer =
                        network.get(new NetworkPort.PinnedUrl(uri, address), settings.timeoutMs(), 4096);
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
        NetworkEndpoint endpoint = settings.endpoints().get(name);
        if (service == null || endpoint == null || !"http".equals(endpoint.protocol())) {
            throw ToolProblems.denied(
                    "networkAllowList",
                    "service",
                    "'" + name + "' is not a Devloop service "
                            + new TreeSet<>(settings.services().keySet()));
        }
        InetAddress address = resolve(endpoint.host()).get(0);
        NetworkPort.HttpAnswer answer;
        try {
            answer = network.get(
                    new NetworkPort.PinnedUrl(endpointUri(service.getScheme(), endpoint, "/q/metrics"), address),
                    settings.timeoutMs(),
                    settings.maxMetricsBytes());
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

    private static URI endpointUri(String scheme, NetworkEndpoint endpoint, String path) {
        String host = endpoint.host().contains(":") ? "[" + endpoint.host() + "]" : endpoint.host();
        return URI.create(scheme + "://" + host + ":" + endpoint.port() + path);
    }
}
