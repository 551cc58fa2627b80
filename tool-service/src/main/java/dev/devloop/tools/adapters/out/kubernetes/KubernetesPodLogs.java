package dev.devloop.tools.adapters.out.kubernetes;

import dev.devloop.tools.ports.out.DownstreamException;
import dev.devloop.tools.ports.out.ServiceLogsPort;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.fabric8.kubernetes.client.dsl.TimestampBytesLimitTerminateTimeTailPrettyLoggable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Logger;

/**
 * {@code read_logs} on Kubernetes: the pods labelled {@code app.kubernetes.io/name=<service>} (and the
 * release's instance label) in tool-service's namespace, newest first, at most {@code maxPods}; from each,
 * {@code GET pods/{pod}/log?timestamps=true&limitBytes=…&sinceSeconds=…&tailLines=…} of the service's
 * container. {@code tailLines} and {@code sinceSeconds} select the newest output; {@code limitBytes} (which
 * the API server applies from the start of that selection) is only a ceiling on the transfer; of what
 * arrives, the last {@code maxBytes / pods} bytes are kept (a ring buffer), a partial first line dropped.
 * The kubelet's timestamp on every line merges the
 * replicas into one time-ordered tail (stably: one pod's lines keep their order), and is then stripped, so
 * the lines are the service's own output — parsed and filtered by {@code ReadLogsTool} exactly like the
 * local files.
 */
public class KubernetesPodLogs implements ServiceLogsPort {
    private static final Logger LOG = Logger.getLogger(KubernetesPodLogs.class.getName());
    private final KubernetesClient client;
    private final KubernetesTarget target;
    private final int maxPods;
    private final int tailLines;
    private final int sinceSeconds;
    private final int maxReadBytes;

    public KubernetesPodLogs(
            KubernetesClient client,
            KubernetesTarget target,
            int maxPods,
            int tailLines,
            int sinceSeconds,
            int maxReadBytes) {
        this.client = client;
        this.target = target;
        this.maxPods = maxPods;
        this.tailLines = tailLines;
        this.sinceSeconds = sinceSeconds;
        this.maxReadBytes = maxReadBytes;
    }

    /** What was kept of one pod's output, and whether older output was dropped to keep it. */
    record Kept(byte[] bytes, boolean cut) {}

    /** One kept line: when the kubelet stamped it, which pod, its position there, and the text. */
    private record Stamped(Instant at, int pod, int index, String text) {}

    @Override
    public Tail tail(String service, int maxBytes, int maxLineChars) {
        List<Pod> pods;
        try {
            pods = new ArrayList<>(client.pods()
                    .inNamespace(target.namespace())
                    .withLabels(target.podLabels(service))
                    .list()
                    .getItems());
        } catch (KubernetesClientException e) {
            throw new DownstreamException(
                    e.getCode() == 403 || e.getCode() == 401
                            ? "the Kubernetes API refused to list pods in namespace " + target.namespace() + " (HTTP "
                                    + e.getCode() + "): tool-service's ServiceAccount needs 'list' on pods there"
                            : "the Kubernetes API could not list the pods of '" + service + "' (HTTP " + e.getCode()
                                    + ")");
        }
        if (pods.isEmpty()) {
            throw new DownstreamException("no pod of '" + service + "' in namespace " + target.namespace());
        }
        pods.sort(Comparator.comparing(
                (Pod p) -> p.getMetadata().getCreationTimestamp(), Comparator.nullsLast(Comparator.reverseOrder())));
        boolean cut = pods.size() > maxPods;
        List<Pod> read = pods.subList(0, Math.min(maxPods, pods.size()));
        int share = Math.max(1, maxBytes / read.size());
        List<Stamped> lines = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (int p = 0; p < read.size(); p++) {
            Pod pod = read.get(p);
            String name = pod.getMetadata().getName();
            Kept kept;
            try {
                kept = readLogRetryingOnce(pod, service, share);
            } catch (KubernetesClientException | IOException e) {
                String why = e instanceof KubernetesClientException k
                        ? "HTTP " + k.getCode()
                        : e.getClass().getSimpleName();
                failures.add(name + " (" + why + ")");
                LOG.fine(() -> "no log from pod " + name + ": " + e.getMessage());
                continue;
            }
            cut |= kept.cut();
            collect(kept, p, maxLineChars, lines);
        }
        if (lines.isEmpty() && !failures.isEmpty()) {
            throw new DownstreamException(
                    "the logs of '" + service + "' cannot be read from " + String.join(", ", failures));
        }
        lines.sort(
                Comparator.comparing(Stamped::at).thenComparingInt(Stamped::pod).thenComparingInt(Stamped::index));
        return new Tail(lines.stream().map(Stamped::text).toList(), cut);
    }

    /** One more attempt after a failed read: a pod's log stream is often refused once while its container settles. */
    private Kept readLogRetryingOnce(Pod pod, String service, int share) throws IOException {
        try {
            return readLog(pod, service, share);
        } catch (KubernetesClientException | IOException e) {
            LOG.fine(() -> "retrying the log of pod " + pod.getMetadata().getName() + ": " + e.getMessage());
            return readLog(pod, service, share);
        }
    }

    private Kept readLog(Pod pod, String service, int share) throws IOException {
        PodResource resource = client.pods()
                .inNamespace(target.namespace())
                .withName(pod.getMetadata().getName());
        TimestampBytesLimitTerminateTimeTailPrettyLoggable log = resource;
        List<Container> containers =
                pod.getSpec() == null ? List.of() : pod.getSpec().getContainers();
        if (containers != null && containers.size() > 1) {
            // the chart names the service's container after the service; else the first one
            String container = containers.stream()
                    .map(Container::getName)
                    .filter(service::equals)
                    .findFirst()
                    .orElse(containers.get(0).getName());
            log = resource.inContainer(container);
        }
        try (InputStream in = log.usingTimestamps()
                .limitBytes(maxReadBytes)
                .sinceSeconds(sinceSeconds)
                .tailingLines(tailLines)
                .getLogInputStream()) {
            return lastBytes(in, share, maxReadBytes);
        }
    }

    /** The last {@code keep} bytes of at most {@code ceiling} read (our bound, should a server ignore limitBytes). */
    static Kept lastBytes(InputStream in, int keep, int ceiling) throws IOException {
        byte[] ring = new byte[keep];
        byte[] chunk = new byte[8192];
        long total = 0;
        int n;
        while (total < ceiling && (n = in.read(chunk, 0, (int) Math.min(chunk.length, ceiling - total))) >= 0) {
            for (int i = 0; i < n; i++) {
                ring[(int) ((total + i) % keep)] = chunk[i];
            }
            total += n;
        }
        boolean truncatedAtCeiling = total >= ceiling && in.read() >= 0;
        if (total <= keep) {
            return new Kept(java.util.Arrays.copyOf(ring, (int) total), truncatedAtCeiling);
        }
        int start = (int) (total % keep);
        byte[] ordered = new byte[keep];
        System.arraycopy(ring, start, ordered, 0, keep - start);
        System.arraycopy(ring, 0, ordered, keep - start, start);
        int newline = 0;
        while (newline < ordered.length && ordered[newline] != '\n') {
            newline++;
        }
        return new Kept(
                java.util.Arrays.copyOfRange(ordered, Math.min(ordered.length, newline + 1), ordered.length), true);
    }

    /** Splits one pod's kept output into stamped lines. */
    private static void collect(Kept kept, int pod, int maxLineChars, List<Stamped> into) {
        String text = new String(kept.bytes(), StandardCharsets.UTF_8);
        Instant previous = Instant.EPOCH;
        int index = 0;
        for (String raw : text.split("\n")) {
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            if (line.isEmpty()) {
                continue;
            }
            Instant at = previous;
            int space = line.indexOf(' ');
            if (space > 0) {
                try {
                    at = Instant.parse(line.substring(0, space));
                    line = line.substring(space + 1);
                } catch (DateTimeParseException e) {
                    // not stamped: keep the whole line at the previous line's time
                }
            }
            previous = at;
            if (line.isEmpty()) {
                continue;
            }
            into.add(new Stamped(
                    at, pod, index++, line.length() > maxLineChars ? line.substring(0, maxLineChars) + "…" : line));
        }
    }
}
