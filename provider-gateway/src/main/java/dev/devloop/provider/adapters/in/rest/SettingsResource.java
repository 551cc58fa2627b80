package dev.devloop.provider.adapters.in.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.devloop.contracts.identity.Caller;
import dev.devloop.contracts.problem.Problem;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Per-tenant runtime settings: {@code GET /v1/settings} lists them, {@code PUT /v1/settings/{setting}}
 * changes one (tool-service's {@code update_config} calls it with
 * {@code {"setting":"provider-gateway.<setting>","value":…,"reason":…,"agentId":…}}).
 */
@Tag(name = "Settings", description = "Per-tenant runtime settings (tool-service's update_config)")
@Path("/v1/settings")
public class SettingsResource {
    /** The prefix tool-service's allow-list puts before our setting keys. */
    static final String OWNER_PREFIX = "provider-gateway.";

    static final int MAX_REASON = 2_000;
    static final int MAX_AGENT_ID = 256;

    @RegisterForReflection
    public record Settings(String tenant, Map<String, Object> settings) {}

    /**
     * {@code PUT /v1/settings/{setting}}: the new value, why and for which agent; {@code setting}, when sent (as
     * tool-service's {@code update_config} does), must name the path's setting. Other fields are ignored.
     */
    @RegisterForReflection
    public record Change(
            @JsonDeserialize(using = StrictJson.Text.class) String setting,

            @Schema(description = "the new value: a number, boolean or string, as the setting takes", required = true)
            JsonNode value,

            @JsonDeserialize(using = StrictJson.Text.class) String reason,
            @JsonDeserialize(using = StrictJson.Text.class) String agentId) {}

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
    @Operation(summary = "The tenant's runtime settings, effective values")
    public Settings list() {
        String tenant = caller.tenant();
        return new Settings(tenant, settings.settings(tenant));
    }

    @PUT
    @Path("/{setting}")
    @Operation(summary = "Change one runtime setting for the tenant")
    @APIResponse(
            responseCode = "404",
            description = "Not a runtime setting of provider-gateway",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Changed update(@PathParam("setting") String setting, Change body) {
        String tenant = caller.tenant();
        if (RuntimeSetting.of(setting).isEmpty()) {
            throw ProblemException.notFound(
                    "unknown-setting",
                    "'" + abbreviate(setting) + "' is not a runtime setting of " + "provider-gateway; known: "
                            + RuntimeSetting.keys());
        }
        if (body == null) {
            throw ProblemException.badRequest(
                    "body", "expected a JSON object {\"value\":…, \"reason\"?, \"agentId\"?}");
        }
        if (body.setting() != null) {
            String n = body.setting().trim().toLowerCase(Locale.ROOT);
            String path = setting.trim().toLowerCase(Locale.ROOT);
            if (!(n.equals(path) || n.equals(OWNER_PREFIX + path))) {
                throw ProblemException.badRequest(
                        "setting",
                        "'setting' must name the setting of the path ('" + path + "' or '" + OWNER_PREFIX + path
                                + "'), got " + abbreviate(body.setting()));
            }
        }
        JsonNode value = body.value();
        if (value == null || value.isNull() || value.isMissingNode()) {
            throw ProblemException.badRequest("value", "'value' is required");
        }
        String reason = bounded(body.reason(), "reason", MAX_REASON);
        String agentId = bounded(body.agentId(), "agentId", MAX_AGENT_ID);
        Object raw = value.isNumber() ? value.numberValue() : json.convertValue(value, Object.class);
        RuntimeSettingsUseCase.Change c = settings.update(tenant, setting, raw, reason, agentId);
        return new Changed(c.setting(), c.tenant(), c.previous(), c.value());
    }

    private static String bounded(String text, String field, int max) {
        if (text != null && text.length() > max) {
            throw ProblemException.badRequest(field, "'" + field + "' is longer than " + max + " characters");
        }
        return text;
    }

    private static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
