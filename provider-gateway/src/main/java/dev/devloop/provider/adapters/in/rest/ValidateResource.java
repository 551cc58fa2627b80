package dev.devloop.provider.adapters.in.rest;

import dev.devloop.contracts.identity.Caller;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.provider.domain.PiiRedactor;
import dev.devloop.provider.domain.ResponseValidator;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /v1/validate}: the response validator hook agent-service guardrails call on a model
 * answer. By default every PII kind is a violation; {@code pii} narrows the kinds checked.
 */
@Tag(name = "Validate", description = "Checks of a model answer before it is used")
@Path("/v1/validate")
@RegisterForReflection(targets = {ResponseValidator.Violation.class})
public class ValidateResource {
    static final int MAX_TEXT = 1_000_000;
    static final int MAX_TERMS = 256;

    @RegisterForReflection
    public record ValidateRequest(String text, List<String> pii, List<String> blockedTerms, Integer maxChars) {}

    @RegisterForReflection
    public record ValidateResponse(boolean valid, List<ResponseValidator.Violation> violations, String redacted) {}

    private final Caller caller;

    public ValidateResource(Caller caller) {
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Check a text for PII, blocked terms and length")
    public ValidateResponse validate(ValidateRequest request) {
        caller.tenant(); // a tenant-less call is refused like every other route
        if (request == null) {
            throw ProblemException.badRequest("body", "a JSON body is required");
        }
        if (request.text() == null) {
            throw ProblemException.badRequest("text", "text is required");
        }
        if (request.text().length() > MAX_TEXT) {
            throw ProblemException.badRequest("text", "text must be at most " + MAX_TEXT + " characters");
        }
        Set<String> kinds = new HashSet<>(PiiRedactor.kinds());
        if (request.pii() != null) {
            kinds.clear();
            for (int i = 0; i < request.pii().size(); i++) {
                String k = request.pii().get(i);
                if (k == null || !PiiRedactor.kinds().contains(k)) {
                    throw ProblemException.badRequest(
                            "pii[" + i + "]", "pii kinds are " + String.join(", ", PiiRedactor.kinds()));
                }
                kinds.add(k);
            }
        }
        List<String> terms = request.blockedTerms() == null ? List.of() : request.blockedTerms();
        if (terms.size() > MAX_TERMS) {
            throw ProblemException.badRequest("blockedTerms", "at most " + MAX_TERMS + " blocked terms");
        }
        for (int i = 0; i < terms.size(); i++) {
            if (terms.get(i) == null || terms.get(i).isBlank() || terms.get(i).length() > 200) {
                throw ProblemException.badRequest("blockedTerms[" + i + "]", "a blocked term is 1..200 characters");
            }
        }
        if (request.maxChars() != null && request.maxChars() < 1) {
            throw ProblemException.badRequest("maxChars", "maxChars must be positive");
        }
        ResponseValidator.Result r = ResponseValidator.validate(request.text(), kinds, terms, request.maxChars());
        return new ValidateResponse(r.valid(), r.violations(), r.redacted());
    }
}
