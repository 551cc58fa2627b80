package dev.devloop.tools.adapters.out.kubernetes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where Devloop's services live in the cluster: tool-service's own namespace and, when the chart set
 * one, the Helm release whose objects are named {@code <release>-<service>} and labelled
 * {@code app.kubernetes.io/name=<service>}, {@code app.kubernetes.io/instance=<release>}.
 */
public record KubernetesTarget(String namespace, String release) {
    /** The service-account namespace file every pod with a mounted token has. */
    public static final Path SERVICE_ACCOUNT_NAMESPACE =
            Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

    static final String NAME_LABEL = "app.kubernetes.io/name";
    static final String INSTANCE_LABEL = "app.kubernetes.io/instance";
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    public KubernetesTarget {
        if (namespace == null || !DNS_LABEL.matcher(namespace).matches()) {
            throw new IllegalArgumentException("not a Kubernetes namespace: " + namespace);
        }
        if (release != null && (release.isBlank() || !DNS_LABEL.matcher(release).matches())) {
            throw new IllegalArgumentException("not a Helm release name: " + release);
        }
    }

    /**
     * The namespace from configuration, else from the service-account namespace file, else the client's
     * own (kubeconfig) namespace; none of them → {@link IllegalStateException} at start.
     */
    public static String resolveNamespace(Optional<String> configured, Path namespaceFile, String clientNamespace) {
        if (configured.isPresent() && !configured.get().isBlank()) {
            return configured.get().trim();
        }
        try {
            if (Files.isRegularFile(namespaceFile)) {
                String fromFile =
                        Files.readString(namespaceFile, StandardCharsets.UTF_8).trim();
                if (!fromFile.isEmpty()) {
                    return fromFile;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + namespaceFile + ": " + e.getMessage(), e);
        }
        if (clientNamespace != null && !clientNamespace.isBlank()) {
            return clientNamespace;
        }
        throw new IllegalStateException("devloop.tools.operations.platform=kubernetes needs a namespace: set "
                + "devloop.tools.operations.kubernetes.namespace or run with a service-account token mounted");
    }

    /** The Deployment of a service: {@code <release>-<service>} cut to 63 characters as the chart does, or the service. */
    public String deploymentName(String service) {
        if (release == null) {
            return service;
        }
        String name = release + "-" + service;
        if (name.length() > 63) {
            name = name.substring(0, 63);
        }
        while (name.endsWith("-")) {
            name = name.substring(0, name.length() - 1);
        }
        return name;
    }

    /** The labels selecting a service's pods. */
    public Map<String, String> podLabels(String service) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(NAME_LABEL, service);
        if (release != null) {
            labels.put(INSTANCE_LABEL, release);
        }
        return labels;
    }
}
