package dev.devloop.provider.adapters.in.rest;

import dev.devloop.contracts.identity.Caller;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.contracts.problem.Refusal;
import dev.devloop.provider.ports.in.UsageQueryUseCase;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /v1/usage?from=&to=&groupBy=model|provider|agent|day}: the calling tenant's calls,
 * tokens and estimated cost from the usage ledger (api-gateway routes {@code /api/v1/usage} here).
 */
@Tag(name = "Usage", description = "The tenant's model usage and cost")
@Path("/v1/usage")
public class UsageResource {

    @RegisterForReflection
    public record Totals(long calls, long inputTokens, long outputTokens, Double costUsd) {}

    @RegisterForReflection
    public record Group(String key, long calls, long inputTokens, long outputTokens, Double costUsd) {}

    @RegisterForReflection
    public record Answer(
            String tenant,
            String from,
            String to,
            String groupBy,
            Totals totals,
            List<Group> groups,
            boolean truncated) {}

    private final UsageQueryUseCase usage;
    private final Caller caller;

    public UsageResource(UsageQueryUseCase usage, Caller caller) {
        this.usage = usage;
        this.caller = caller;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The tenant's calls, tokens and cost over a period, optionally grouped")
    public Answer usage(
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("groupBy") String groupBy) {
        String tenant = caller.tenant();
        UsageQueryUseCase.Answer a;
        try {
            a = usage.usage(tenant, from, to, groupBy);
        } catch (Refusal e) {
            throw e;
        } catch (RuntimeException e) {
            throw ProblemException.unavailable(
                    "usage-unavailable",
                    "the usage ledger (MongoDB) did not answer: " + e.getClass().getSimpleName());
        }
        UsageQueryUseCase.Totals t = a.totals();
        return new Answer(
                a.tenant(),
                a.from(),
                a.to(),
                a.groupBy(),
                new Totals(t.calls(), t.inputTokens(), t.outputTokens(), t.costUsd()),
                a.groups().stream()
                        .map(g -> new Group(g.key(), g.calls(), g.inputTokens(), g.outputTokens(), g.costUsd()))
                        .toList(),
                a.truncated());
    }
}
