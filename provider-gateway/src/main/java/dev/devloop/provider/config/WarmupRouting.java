package dev.devloop.provider.config;

import dev.devloop.contracts.identity.Caller;
import dev.devloop.contracts.provider.GenerateRequest;
import dev.devloop.contracts.provider.GenerateResponse;
import dev.devloop.provider.domain.CacheMode;
import dev.devloop.provider.domain.ContextPrompt;
import dev.devloop.provider.ports.in.GenerateUseCase;
import dev.devloop.provider.ports.in.GenerationStream;
import java.util.concurrent.CompletionStage;

/**
 * The {@code GenerateUseCase} the routes call: the gateway's service, except for the start-up warm-up's own calls
 * over loopback, which go to the warm-up's private service (its loopback model, no ledger, no usage events, no spend,
 * no metrics). A call is the warm-up's when it acts for the warm-up's tenant and its verified token was signed by this
 * service itself ({@code azp}), a key no other caller holds; a header cannot select it. Such a call never reaches a
 * configured provider, even one still queued when the warm-up ends (its stub is closed then: it fails).
 */
final class WarmupRouting implements GenerateUseCase {
    private final GenerateUseCase main;
    private final HotPathWarmup warmup;
    private final Caller caller;
    private final String self;

    WarmupRouting(GenerateUseCase main, HotPathWarmup warmup, Caller caller, String self) {
        this.main = main;
        this.warmup = warmup;
        this.caller = caller;
        this.self = self;
    }

    /** A call for the warm-up's tenant made by this very service (its verified token's {@code azp}). */
    static boolean isWarmupCall(String tenant, String callerService, String self) {
        return HotPathWarmup.TENANT.equals(tenant) && self.equals(callerService);
    }

    /**
     * The warm-up's service for its own calls once it exists, else the gateway's. The tenant is compared first: the
     * caller's identity (a request-context read) is looked up for the warm-up's tenant only, not on every call.
     */
    private GenerateUseCase target(String tenant) {
        if (!HotPathWarmup.TENANT.equals(tenant)) {
            return main;
        }
        GenerateUseCase loopback = warmup.loopbackService(); // null when the warm-up is off or not built yet
        if (loopback != null && isWarmupCall(tenant, caller.service().orElse(null), self)) {
            return loopback;
        }
        return main;
    }

    @Override
    public GenerateResponse generate(String tenant, GenerateRequest request, CacheMode cache) {
        return target(tenant).generate(tenant, request, cache);
    }

    @Override
    public GenerateResponse generate(String tenant, GenerateRequest request, CacheMode cache, boolean redact) {
        return target(tenant).generate(tenant, request, cache, redact);
    }

    @Override
    public CompletionStage<GenerateResponse> generateAsync(
            String tenant, GenerateRequest request, CacheMode cache, boolean redact) {
        return target(tenant).generateAsync(tenant, request, cache, redact);
    }

    @Override
    public GenerateResponse generateWithContext(
            String tenant, GenerateRequest request, ContextPrompt context, CacheMode cache, boolean redact) {
        return target(tenant).generateWithContext(tenant, request, context, cache, redact);
    }

    @Override
    public void stream(String tenant, GenerateRequest request, GenerationStream stream) {
        target(tenant).stream(tenant, request, stream);
    }

    @Override
    public void stream(String tenant, GenerateRequest request, boolean redact, GenerationStream stream) {
        target(tenant).stream(tenant, request, redact, stream);
    }
}
