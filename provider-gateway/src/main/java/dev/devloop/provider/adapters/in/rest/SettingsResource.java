package dev.devloop.provider.adapters.in.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.identity.Caller;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.provider.domain.RuntimeSetting;
import dev.devloop.provider.ports.in.RuntimeSettingsUseCase;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Locale;
import java.util.Map;

/**
 * Per-tenant runtime settings: {@code GET /v1/settings} lists them, {@code PUT /v1/settings/{setting}}
 * changes one (tool-service's {@code update_config} calls it with
 * {@code {"setting":"provider-gateway.<setting>","value":…,"reason":…,"agentId":…}}).
 */
@Path("/v1/settings")
public class SettingsResource {
    /** The prefix tool-service's allow-list puts before our setting keys. */
    static final String OWNER_PREFIX = "provider-gateway.";

    static final int MAX_REASON = 2_000;
    static final int MAX_AGENT_ID = 256;

    @RegisterForReflection
    public record Settings(String tenant, Map<String, Object> settings) {}

    @RegisterForReflection
    public record Changed(String setting, String tenant, Object previous, Object value) {}

    private final RuntimeSettingsUseCase settings;
    private final ObjectMapper json;
    private final Caller caller;

    public SettingsResource(RuntimeSettingsUseCase settings, ObjectMapper json, Caller caller) {
        this.settings = settings;
        this.json = json;
        this.caller = caller;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Settings list() {
        String tenant = caller.tenant();
        return new Settings(tenant, settings.settings(tenant));
    }

    @PUT
    @Path("/{setting}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Changed update(@PathParam("setting") String setting, JsonNode body) {
        String tenant = caller.tenant();
        if (RuntimeSetting.of(setting).isEmpty()) {
            throw ProblemException.notFound(
                    "unknown-setting",
                    "'" + abbreviate(setting) + "' is not a runtime setting of " + "provider-gateway; known: "
                            + RuntimeSetting.keys());
        }
        if (body == null || !body.isObject()) {
            throw ProblemException.badRequest(
                    "body", "expected a JSON object {\"value\":…, \"reason\"?, \"agentId\"?}");
        }
        JsonNode named = body.get("setting");
        if (named != null && !named.isNull()) {
            String n = named.isTextual() ? named.asText().trim().toLowerCase(Locale.ROOT) : null;
            String path = setting.trim().toLowerCase(Locale.ROOT);
            if (n == null || !(n.equals(path) || n.equals(OWNER_PREFIX + path))) {
                throw ProblemException.badRequest(
                        "setting",
                        "'setting' must name the setting of the path ('" + path + "' or '" + OWNER_PREFIX + path
                                + "'), got " + abbreviate(String.valueOf(named)));
            }
        }
        JsonNode value = body.get("value");
        if (value == null || value.isNull() || value.isMissingNode()) {
            throw ProblemException.badRequest("value", "'value' is required");
        }
        String reason = optionalText(body, "reason", MAX_REASON);
        String agentId = optionalText(body, "agentId", MAX_AGENT_ID);
        Object raw = value.isNumber() ? value.numberValue() : json.convertValue(value, Object.class);
        RuntimeSettingsUseCase.Change c = settings.update(tenant, setting, raw, reason, agentId);
        return new Changed(c.setting(), c.tenant(), c.previous(), c.value());
    }

    private static String optionalText(JsonNode body, String field, int max) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw ProblemException.badRequest(field, "'" + field + "' must be a string");
        }
        if (n.asText().length() > max) {
            throw ProblemException.badRequest(field, "'" + field + "' is longer than " + max + " characters");
        }
        return n.asText();
    }

    private static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
