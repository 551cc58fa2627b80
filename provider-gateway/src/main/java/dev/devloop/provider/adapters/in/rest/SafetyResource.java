package dev.devloop.provider.adapters.in.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /safety/settings}, {@code PUT /safety/settings}: the calling tenant's safety settings at the model
 * boundary (PII redaction on by default, prompt-injection mode {@code block|flag|off}); every change is audited
 * with the {@code X-Devloop-Subject} that made it ({@code GET /safety/audit}). api-gateway exposes them to
 * admins as {@code GET/PUT /api/v1/admin/model-safety}.
 */
@Path("/safety")
@Produces(MediaType.APPLICATION_JSON)
public class SafetyResource {
    private static final Set<String> FIELDS = Set.of("piiRedaction", "injectionMode", "reason");

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
    public SettingsView settings() {
        String tenant = caller.tenant();
        return view(tenant, safety.settings(tenant), null);
    }

    @PUT
    @Path("/settings")
    @Consumes(MediaType.APPLICATION_JSON)
    public SettingsView update(JsonNode body) {
        String tenant = caller.tenant();
        if (body == null || !body.isObject()) {
            throw ProblemException.badRequest(
                    "body",
                    "a JSON object {\"piiRedaction\": bool, \"injectionMode\": \"block\"|\"flag\"|\"off\"} is required");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw ProblemException.badRequest(
                        name, "unknown field '" + name + "'; accepted: piiRedaction, injectionMode, reason");
            }
        }
        Boolean pii = null;
        JsonNode p = body.get("piiRedaction");
        if (p != null && !p.isNull()) {
            if (!p.isBoolean()) {
                throw ProblemException.badRequest("piiRedaction", "piiRedaction must be true or false");
            }
            pii = p.booleanValue();
        }
        InjectionMode mode = null;
        JsonNode m = body.get("injectionMode");
        if (m != null && !m.isNull()) {
            mode = (m.isTextual() ? InjectionMode.of(m.asText()) : java.util.Optional.<InjectionMode>empty())
                    .orElseThrow(() -> ProblemException.badRequest(
                            "injectionMode", "injectionMode must be one of block, flag, off"));
        }
        JsonNode r = body.get("reason");
        if (r != null && !r.isNull() && !r.isTextual()) {
            throw ProblemException.badRequest("reason", "reason must be a string");
        }
        SafetySettingsUseCase.Change change = safety.update(
                tenant,
                caller.subject().orElse(null),
                new SafetySettingsUseCase.Patch(pii, mode, r == null || r.isNull() ? null : r.asText()));
        return view(tenant, change.current(), Settings.of(change.previous()));
    }

    @GET
    @Path("/audit")
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
