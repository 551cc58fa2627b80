package dev.devloop.provider.adapters.in.rest;

import dev.devloop.contracts.provider.GenerateResponse;
import dev.devloop.contracts.provider.InjectionScreening;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.Locale;

/**
 * {@value #SCORE}: the prompt-injection score (0.00..1.00) of a screened request, and {@value #FLAGGED}:
 * {@code true} when it reached the threshold (mode {@code flag}: served anyway). Set on {@code /v1/generate}
 * and {@code /v1/generate/context} answers (which also carry {@code injection} in the body) by this filter, and
 * by {@link ChatCompletionsResource} on {@code /v1/chat/completions}, streamed or not.
 */
@Provider
public class InjectionHeaders implements ContainerResponseFilter {
    public static final String SCORE = "X-Devloop-Injection-Score";
    public static final String FLAGGED = "X-Devloop-Injection-Flagged";

    static Response.ResponseBuilder add(Response.ResponseBuilder builder, InjectionScreening screening) {
        if (screening != null) {
            builder.header(SCORE, format(screening.score())).header(FLAGGED, String.valueOf(screening.flagged()));
        }
        return builder;
    }

    static String format(double score) {
        return String.format(Locale.ROOT, "%.2f", score);
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getEntity() instanceof GenerateResponse r
                && r.injection() != null
                && !response.getHeaders().containsKey(SCORE)) {
            response.getHeaders().putSingle(SCORE, format(r.injection().score()));
            response.getHeaders()
                    .putSingle(FLAGGED, String.valueOf(r.injection().flagged()));
        }
    }
}
