package dev.devloop.tools.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.contracts.logging.LogFields;
import dev.devloop.tools.ports.in.ToolRefusal;
import dev.devloop.tools.ports.out.DownstreamException;
import dev.devloop.tools.ports.out.RestartLedgerPort;
import dev.devloop.tools.ports.out.RunnerPort;
import dev.devloop.tools.ports.out.ServiceAdminPort;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The repair tools. {@code clear_cache} and {@code update_config} act through the owning service's
 * administrative API (configured per cache and per setting; the call is signed for the owner and acts for
 * the tenant, so an owner drops or changes only that tenant's state unless the setting is platform-wide);
 * {@code restart_service} asks the runner; {@code reset_circuit} closes a provider's circuit breaker in
 * provider-gateway. Platform-wide actions need an operator tenant.
 */
public final class OperationsTools {
    public static final String CLEAR_CACHE = "clear_cache";
    public static final String UPDATE_CONFIG = "update_config";
    public static final String RESTART_SERVICE = "restart_service";
    public static final String RESET_CIRCUIT = "reset_circuit";
    private static final Pattern PROVIDER_NAME = Pattern.compile("^[a-z][a-z0-9-]{0,63}$");
    private static final Logger LOG = Logger.getLogger(OperationsTools.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServiceAdminPort admin;
    private final RunnerPort runner;
    private final RestartLedgerPort restarts;
    private final OperationsSettings settings;
    private final Clock clock;

    public OperationsTools(
            ServiceAdminPort admin,
            RunnerPort runner,
            RestartLedgerPort restarts,
            OperationsSettings settings,
            Clock clock) {
        this.admin = admin;
        this.runner = runner;
        this.restarts = restarts;
        this.settings = settings;
        this.clock = clock;
    }

    public List<ToolExecutor> executors() {
        return List.of(
                ToolExecutor.ofNative(CLEAR_CACHE, this::clearCache),
                ToolExecutor.ofNative(UPDATE_CONFIG, this::updateConfig),
                ToolExecutor.ofNative(RESTART_SERVICE, this::restartService),
                ToolExecutor.ofNative(RESET_CIRCUIT, this::resetCircuit));
    }

    private JsonNode clearCache(ToolCall call) {
        String cache = call.arguments().path("cache").asText().toLowerCase(Locale.ROOT);
        OperationsSettings.Endpoint endpoint = settings.caches().get(cache);
        if (endpoint == null) {
            throw ToolProblems.denied(
                    "cacheAllowList",
                    "cache",
                    "'" + cache + "' is not a cache this tool may clear "
                            + new TreeSet<>(settings.caches().keySet()));
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("cache", cache);
        copyReason(call, body);
        JsonNode answer = call(endpoint, call.tenant(), body, "clearing cache '" + cache + "'");
        LogFields.of("tenant", call.tenant(), "cache", cache, "agentId", call.agentId())
                .info(LOG, "cache cleared");
        ObjectNode out =
                JsonNodeFactory.instance.objectNode().put("cache", cache).put("cleared", true);
        out.set("owner", answer);
        return out;
    }

    /** A JSON scalar as the plain Java value {@link dev.devloop.tools.domain.SettingSpec#problem} checks. */
    static Object plain(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return value.asLong();
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        return new NotASettingValue(value.getNodeType().name()); // a fraction, a huge integer, an object, an array
    }

    /** A JSON value no setting type accepts. */
    private record NotASettingValue(String jsonType) {}

    private JsonNode updateConfig(ToolCall call) {
        String key = call.arguments().path("setting").asText().toLowerCase(Locale.ROOT);
        OperationsSettings.Setting setting = settings.settings().get(key);
        if (setting == null) {
            throw ToolProblems.denied(
                    "settingAllowList",
                    "setting",
                    "'" + key + "' is not a setting this tool may change "
                            + new TreeSet<>(settings.settings().keySet()));
        }
        JsonNode value = call.arguments().get("value");
        Optional<String> problem = setting.spec().problem(plain(value));
        if (problem.isPresent()) {
            throw ToolRefusal.invalid("value", problem.get());
        }
        if (setting.spec().platform()) {
            requireOperator(call, "setting");
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("setting", key);
        body.set("value", value);
        copyReason(call, body);
        JsonNode answer = call(setting.endpoint(), call.tenant(), body, "updating '" + key + "'");
        LogFields.of("tenant", call.tenant(), "setting", key, "value", value, "agentId", call.agentId())
                .info(LOG, "setting updated");
        ObjectNode out = JsonNodeFactory.instance
                .objectNode()
                .put("setting", key)
                .put("updated", true)
                .put("scope", setting.spec().platform() ? "platform" : "tenant");
        // the owner's answer (provider-gateway: {setting, tenant, previous, value}) is the truth: the value it
        // applied (it may normalise) and the one it replaced (null = the default was in force)
        out.set("value", answer.hasNonNull("value") ? answer.get("value") : value);
        if (answer.has("previous")) {
            out.set("previous", answer.get("previous"));
        }
        out.set("owner", answer);
        return out;
    }

    private JsonNode restartService(ToolCall call) {
        String service = call.arguments().path("service").asText().toLowerCase(Locale.ROOT);
        String reason = call.arguments().path("reason").asText();
        if (service.equals(settings.self())) {
            throw ToolProblems.denied(
                    "selfRestart",
                    "service",
                    settings.self() + " cannot restart itself through its own tool call; ask the runner directly");
        }
        if (!settings.restartable().contains(service)) {
            throw ToolProblems.denied(
                    "restartAllowList",
                    "service",
                    "'" + service + "' is not a service this tool may restart "
                            + new TreeSet<>(settings.restartable()));
        }
        requireOperator(call, "service");
        String runnerName = runner.configured()
                .orElseThrow(
                        () -> new ToolFailure(
                                "no runner is configured: set devloop.tools.operations.restart.command (local stack) to let tool-service restart services"));
        Optional<Instant> recent = restarts.acquire(
                service, call.tenant(), reason, clock.instant(), Duration.ofMillis(settings.restartCooldownMs()));
        if (recent.isPresent()) {
            throw ToolProblems.denied(
                    "restartCooldown",
                    "service",
                    "'" + service + "' was restarted at " + recent.get() + "; a service is restarted at most once per "
                            + settings.restartCooldownMs() / 1000 + " s");
        }
        LogFields.of("tenant", call.tenant(), "service", service, "agentId", call.agentId(), "reason", reason)
                .warn(LOG, "restart requested");
        RunnerPort.Restart restart;
        try {
            restart = runner.restart(service, settings.restartWaitMs());
        } catch (DownstreamException e) {
            throw new ToolFailure(e.getMessage());
        }
        if (restart.finished() && restart.exitCode() != 0) {
            throw new ToolFailure(runnerName + " could not restart " + service + " (exit " + restart.exitCode() + "): "
                    + restart.output());
        }
        ObjectNode out = JsonNodeFactory.instance
                .objectNode()
                .put("service", service)
                .put("runner", runnerName)
                .put("state", restart.finished() ? "restarted" : "restarting")
                .put("output", restart.output());
        return out;
    }

    private JsonNode resetCircuit(ToolCall call) {
        String provider = call.arguments().path("provider").asText();
        // the schema already checks the pattern; checked again because the name becomes part of a URL
        if (!PROVIDER_NAME.matcher(provider).matches()) {
            throw ToolRefusal.invalid("provider", "'" + provider + "' is not a provider name (^[a-z][a-z0-9-]{0,63}$)");
        }
        requireOperator(call, "provider");
        URI url = URI.create(
                settings.circuitResetUrl().replace("{provider}", URLEncoder.encode(provider, StandardCharsets.UTF_8)));
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        copyReason(call, body);
        String what = "resetting the circuit of '" + provider + "'";
        ServiceAdminPort.Answer answer =
                send(new OperationsSettings.Endpoint(settings.circuitOwner(), "POST", url), call.tenant(), body, what);
        if (answer.status() == 404) {
            throw new ToolFailure("provider-gateway has no provider '" + provider + "'");
        }
        JsonNode owner = parseSuccess(answer, what);
        LogFields.of("tenant", call.tenant(), "provider", provider, "agentId", call.agentId())
                .and("before", owner.path("before").asText())
                .and("after", owner.path("after").asText())
                .warn(LOG, "circuit reset");
        ObjectNode out = JsonNodeFactory.instance.objectNode().put("provider", provider);
        out.set("before", owner.path("before").isMissingNode() ? null : owner.get("before"));
        out.set("after", owner.path("after").isMissingNode() ? null : owner.get("after"));
        return out;
    }

    private void requireOperator(ToolCall call, String field) {
        if (!settings.operatorTenants().contains(call.tenant())) {
            throw ToolProblems.denied(
                    "operatorTenants",
                    field,
                    "tenant '" + call.tenant() + "' may not take platform-wide actions; only operator tenants may");
        }
    }

    private JsonNode call(OperationsSettings.Endpoint endpoint, String tenant, JsonNode body, String what) {
        ServiceAdminPort.Answer answer = send(endpoint, tenant, body, what);
        if (answer.status() == 404) {
            throw new ToolFailure(what + " failed: the owner has no such endpoint (" + endpoint.method() + " "
                    + path(endpoint.url()) + " answered 404)");
        }
        return parseSuccess(answer, what);
    }

    private ServiceAdminPort.Answer send(
            OperationsSettings.Endpoint endpoint, String tenant, JsonNode body, String what) {
        try {
            return admin.send(
                    endpoint.owner(),
                    endpoint.method(),
                    endpoint.url(),
                    tenant,
                    body.toString(),
                    settings.timeoutMs(),
                    settings.maxAnswerBytes());
        } catch (DownstreamException e) {
            throw new ToolFailure(what + " failed: " + e.getMessage());
        }
    }

    /** The owner's 2xx body as JSON (an empty object when blank); any other status fails with its detail. */
    private static JsonNode parseSuccess(ServiceAdminPort.Answer answer, String what) {
        if (answer.status() < 200 || answer.status() > 299) {
            throw new ToolFailure(
                    what + " failed: the owner answered " + answer.status() + ": " + detail(answer.body()));
        }
        try {
            JsonNode parsed = answer.body() == null || answer.body().isBlank() ? null : JSON.readTree(answer.body());
            return parsed == null ? JsonNodeFactory.instance.objectNode() : parsed;
        } catch (java.io.IOException e) {
            return JsonNodeFactory.instance.objectNode().put("text", answer.body());
        }
    }

    private static String path(URI uri) {
        return uri.getRawPath();
    }

    private static String detail(String body) {
        if (body == null || body.isBlank()) {
            return "no detail";
        }
        try {
            JsonNode problem = JSON.readTree(body);
            return problem.path("detail").asText(body);
        } catch (java.io.IOException e) {
            return body.length() > 300 ? body.substring(0, 300) + "…" : body;
        }
    }

    private static void copyReason(ToolCall call, ObjectNode body) {
        JsonNode reason = call.arguments().get("reason");
        if (reason != null && reason.isTextual()) {
            body.put("reason", reason.asText());
        }
        if (call.agentId() != null) {
            body.put("agentId", call.agentId());
        }
    }
}
