package dev.devloop.tools.adapters.out.kubernetes;

import dev.devloop.tools.ports.out.DownstreamException;
import dev.devloop.tools.ports.out.RunnerPort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * {@code restart_service} on Kubernetes: what {@code kubectl rollout restart deployment/<name>} does — a
 * merge patch setting the pod template annotation {@code kubectl.kubernetes.io/restartedAt} to now, so the
 * Deployment controller rolls new pods (respecting its maxUnavailable). Only the Deployment of the
 * allow-listed service, in tool-service's own namespace, is touched; the API server answers as soon as the
 * patch is stored, so the result is "restarting" (the rollout runs on).
 */
public class KubernetesRolloutRestart implements RunnerPort {
    public static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";
    private final KubernetesClient client;
    private final KubernetesTarget target;
    private final Clock clock;

    public KubernetesRolloutRestart(KubernetesClient client, KubernetesTarget target, Clock clock) {
        this.client = client;
        this.target = target;
        this.clock = clock;
    }

    @Override
    public Optional<String> configured() {
        return Optional.of("kubernetes:" + target.namespace());
    }

    @Override
    public Restart restart(String service, long waitMs) {
        String name = target.deploymentName(service);
        String at = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
        String patch =
                "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"" + RESTARTED_AT + "\":\"" + at + "\"}}}}}";
        Deployment patched;
        try {
            patched = client.apps()
                    .deployments()
                    .inNamespace(target.namespace())
                    .withName(name)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        } catch (KubernetesClientException e) {
            throw new DownstreamException(describe(e, name));
        }
        if (patched == null) {
            throw new DownstreamException("deployment/" + name + " not found in namespace " + target.namespace());
        }
        Long generation =
                patched.getMetadata() == null ? null : patched.getMetadata().getGeneration();
        return new Restart(
                configured().orElseThrow(),
                false,
                -1,
                "deployment/" + name + " in namespace "
                        + target.namespace() + ": rollout restart requested (" + RESTARTED_AT + "=" + at
                        + (generation == null ? "" : ", generation " + generation) + ")");
    }

    private String describe(KubernetesClientException e, String name) {
        String where = "deployment/" + name + " in namespace " + target.namespace();
        return switch (e.getCode()) {
            case 404 -> where + " not found";
            case 401, 403 ->
                "the Kubernetes API refused to patch " + where + " (HTTP " + e.getCode()
                        + "): tool-service's ServiceAccount needs 'patch' on deployments there";
            case 0 ->
                "the Kubernetes API server is unreachable: " + e.getClass().getSimpleName();
            default -> "the Kubernetes API answered " + e.getCode() + " patching " + where;
        };
    }
}
