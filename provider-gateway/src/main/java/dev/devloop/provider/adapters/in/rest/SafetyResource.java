package dev.devloop.provider.adapters.in.rest;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.devloop.contracts.identity.Caller;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.provider.application.PromptSafety;
import dev.devloop.provider.application.SafetySettingsService;
import dev.devloop.provider.domain.InjectionMode;
import dev.devloop.provider.domain.SafetyAudit;
import dev.devloop.provider.domain.SafetySettings;
import dev.devloop.provider.ports.in.SafetySettingsUseCase;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /safety/settings}, {@code PUT /safety/settings}: the calling tenant's safety settings at the model
 * boundary (PII redaction on by default, prompt-injection mode {@code block|flag|off}); every change is audited
 * with the {@code X-Devloop-Subject} that made it ({@code GET /safety/audit}). api-gateway exposes them to
 * admins as {@code GET/PUT /api/v1/admin/model-safety}.
 */
@Tag(name = "Safety", description = "PII redaction and prompt-injection screening at the model boundary")
@Path("/safety")
@Produces(MediaType.APPLICATION_JSON)
public class SafetyResource {
    @RegisterForReflection
    public record Settings(boolean piiRedaction, String injectionMode) {
        static Settings of(SafetySettings s) {
            return new Settings(s.piiRedaction(), s.injectionMode().wire());
        }
    }

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SettingsView(
            String tenant,
            boolean piiRedaction,
            String injectionMode,
            double injectionThreshold,
            Instant updatedAt,
            String updatedBy,
            Settings defaults,
            Settings previous) {}

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AuditEntry(
            String id, String subject, Instant at, Settings previous, Settings current, String reason) {}

    /** {@code PUT /safety/settings}: the fields to change (absent or null: unchanged); any other field is refused. */
    @RegisterForReflection
    public record SettingsChange(
            @JsonDeserialize(using = StrictJson.Flag.class) Boolean piiRedaction,

            @Schema(enumeration = {"block", "flag", "off"}) @JsonDeserialize(using = StrictJson.Text.class)
            String injectionMode,

            @JsonDeserialize(using = StrictJson.Text.class) String reason,
            @JsonAnySetter @Schema(hidden = true) Map<String, Object> unknown) {
        public SettingsChange {
            unknown = unknown == null ? Map.of() : unknown;
        }
    }

    @RegisterForReflection
    public record AuditView(String tenant, List<AuditEntry> entries) {}

    private final SafetySettingsService safety;
    private final PromptSafety screening;
    private final Caller caller;

    public SafetyResource(SafetySettingsService safety, PromptSafety screening, Caller caller) {
        this.safety = safety;
        this.screening = screening;
        this.caller = caller;
    }

    @GET
    @Path("/settings")
    @Operation(summary = "The tenant's safety settings at the model boundary, with the defaults")
    public SettingsView settings() {
        String tenant = caller.tenant();
        return view(tenant, safety.settings(tenant), null);
    }

    @PUT
    @Path("/settings")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change the tenant's safety settings (audited with the caller's subject)")
    public SettingsView update(SettingsChange body) {
        String tenant = caller.tenant();
        if (body == null) {
            throw ProblemException.badRequest(
                    "body",
                    "a JSON object {\"piiRedaction\": bool, \"injectionMode\": \"block\"|\"flag\"|\"off\"} is required");
        }
        body.unknown().keySet().stream().findFirst().ifPresent(name -> {
            throw ProblemException.badRequest(
                    name, "unknown field '" + name + "'; accepted: piiRedaction, injectionMode, reason");
        });
        InjectionMode mode = body.injectionMode() == null
                ? null
                : InjectionMode.of(body.injectionMode())
                        .orElseThrow(() -> ProblemException.badRequest(
                                "injectionMode", "injectionMode must be one of block, flag, off"));
        SafetySettingsUseCase.Change change = safety.update(
                tenant,
                caller.subject().orElse(null),
                new SafetySettingsUseCase.Patch(body.piiRedaction(), mode, body.reason()));
        return view(tenant, change.current(), Settings.of(change.previous()));
    }

    @GET
    @Path("/audit")
    @Operation(summary = "The newest changes of the tenant's safety settings, newest first")
    public AuditView audit(@QueryParam("limit") String limitParam) {
        String tenant = caller.tenant();
        int max = safety.maxAuditEntries();
        int limit = 50;
        if (limitParam != null) {
            try {
                limit = Integer.parseInt(limitParam.trim());
            } catch (NumberFormatException e) {
                throw ProblemException.badRequest("limit", "limit must be an integer 1.." + max);
            }
            if (limit < 1 || limit > max) {
                throw ProblemException.badRequest("limit", "limit must be an integer 1.." + max);
            }
        }
        List<AuditEntry> entries =
                safety.audit(tenant, limit).stream().map(SafetyResource::entry).toList();
        return new AuditView(tenant, entries);
    }

    private static AuditEntry entry(SafetyAudit a) {
        return new AuditEntry(
                a.id(),
                a.subject(),
                a.at(),
                new Settings(a.previousPiiRedaction(), a.previousInjectionMode()),
                new Settings(a.piiRedaction(), a.injectionMode()),
                a.reason());
    }

    private SettingsView view(String tenant, SafetySettings s, Settings previous) {
        return new SettingsView(
                tenant,
                s.piiRedaction(),
                s.injectionMode().wire(),
                screening.threshold(),
                s.updatedAt(),
                s.updatedBy(),
                Settings.of(safety.defaults()),
                previous);
    }
}
