package dev.devloop.agent.adapters.in.rest;

import dev.devloop.agent.domain.ComponentHealth;
import dev.devloop.agent.ports.in.SystemHealthUseCase;
import dev.devloop.contracts.Headers;
import dev.devloop.contracts.Tenants;
import io.opentelemetry.api.trace.Span;
import io.quarkus.logging.Log;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.common.annotation.Blocking;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code POST /system-health/checks}: one System Health Agent check, answered with its report. */
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
    private final SystemHealthUseCase health;

    public SystemHealthResource(SystemHealthUseCase health) {
        this.health = health;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public SystemHealthUseCase.Report check(
            @HeaderParam(Headers.TENANT) String tenantHeader, @Valid SystemHealthCheckBody body) {
        String tenant = Tenants.require(tenantHeader);
        SystemHealthUseCase.Report report = health.check(new SystemHealthUseCase.CheckCommand(
                tenant,
                body == null ? null : body.issue(),
                body == null ? null : body.components(),
                Span.current().getSpanContext().getTraceId()));
        Log.infof(
                "system health check %s tenant=%s components=%d diagnosed=%d retired=%d",
                report.checkId(),
                tenant,
                report.components().size(),
                report.diagnoses().size(),
                report.retiredAgentIds().size());
        return report;
    }
}
