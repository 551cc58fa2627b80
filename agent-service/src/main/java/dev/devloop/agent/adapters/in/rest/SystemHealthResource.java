package dev.devloop.agent.adapters.in.rest;

import dev.devloop.agent.domain.ComponentHealth;
import dev.devloop.agent.ports.in.SystemHealthUseCase;
import dev.devloop.contracts.identity.Caller;
import dev.devloop.contracts.logging.LogFields;
import io.opentelemetry.api.trace.Span;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.common.annotation.Blocking;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/** {@code POST /system-health/checks}: one System Health Agent check, answered with its report. */
@Tag(name = "System health", description = "System Health Agent checks")
@Path("/system-health/checks")
@RegisterForReflection(
        targets = {
            SystemHealthUseCase.Report.class,
            SystemHealthUseCase.Diagnosis.class,
            ComponentHealth.class,
            ComponentHealth.Status.class
        })
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class SystemHealthResource {
    private static final Logger LOG = Logger.getLogger(SystemHealthResource.class);
    private final SystemHealthUseCase health;
    private final Caller caller;

    public SystemHealthResource(SystemHealthUseCase health, Caller caller) {
        this.health = health;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Run one System Health Agent check and answer its report")
    @APIResponse(responseCode = "200", description = "The check's report")
    public SystemHealthUseCase.Report check(@Valid SystemHealthCheckBody body) {
        String tenant = caller.tenant();
        SystemHealthUseCase.Report report = health.check(new SystemHealthUseCase.CheckCommand(
                tenant,
                body == null ? null : body.issue(),
                body == null ? null : body.components(),
                Span.current().getSpanContext().getTraceId()));
        LogFields.of(
                        "tenant", tenant,
                        "checkId", report.checkId(),
                        "components", report.components().size(),
                        "diagnosed", report.diagnoses().size(),
                        "retired", report.retiredAgentIds().size())
                .info(LOG, "system health check done");
        return report;
    }
}
