package dev.devloop.provider.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devloop.contracts.identity.Caller;
import dev.devloop.contracts.provider.GenerateRequest;
import dev.devloop.contracts.provider.GenerateResponse;
import dev.devloop.provider.domain.CacheMode;
import dev.devloop.provider.ports.in.GenerateUseCase;
import dev.devloop.provider.ports.in.GenerationStream;
import jakarta.enterprise.inject.Vetoed;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Only the warm-up's own loopback calls reach its private service: its tenant, signed by this service. */
class WarmupRoutingTest {
    private static final String SELF = "provider-gateway";

    @Test
    void theWarmupsOwnCallGoesToItsService() {
        assertThat(WarmupRouting.isWarmupCall(HotPathWarmup.TENANT, SELF, SELF)).isTrue();
    }

    @Test
    void anotherCallerActingForTheWarmupTenantGoesToTheGateway() {
        assertThat(WarmupRouting.isWarmupCall(HotPathWarmup.TENANT, "agent-service", SELF))
                .isFalse();
        assertThat(WarmupRouting.isWarmupCall(HotPathWarmup.TENANT, null, SELF)).isFalse();
    }

    @Test
    void thisServiceActingForAnotherTenantGoesToTheGateway() {
        assertThat(WarmupRouting.isWarmupCall("acme", SELF, SELF)).isFalse();
    }

    @Test
    void theUseCaseRoutesTheWarmupsCallsToItsServiceAndEverythingElseToTheGateway() {
        Recording main = new Recording("main");
        Recording loopback = new Recording("loopback");
        CountingCaller caller = new CountingCaller(SELF);
        WarmupRouting routing = new WarmupRouting(main, new Warmup(loopback), caller, SELF);

        routing.generate(HotPathWarmup.TENANT, null, null);
        routing.generateAsync(HotPathWarmup.TENANT, null, null, false);
        routing.stream(HotPathWarmup.TENANT, null, false, null);
        assertThat(loopback.calls).containsExactly("generate", "generateAsync", "stream");
        assertThat(main.calls).isEmpty();

        routing.generate("acme", null, null);
        routing.generateWithContext("acme", null, null, null, false);
        assertThat(main.calls).containsExactly("generate", "generateWithContext");
        // the caller's identity is looked up for the warm-up's tenant only
        assertThat(caller.lookups.get()).isEqualTo(3);

        CountingCaller other = new CountingCaller("agent-service");
        Recording main2 = new Recording("main");
        new WarmupRouting(main2, new Warmup(loopback), other, SELF).generate(HotPathWarmup.TENANT, null, null);
        assertThat(main2.calls).containsExactly("generate");
    }

    @Test
    void withNoPrivateServiceEverythingGoesToTheGateway() {
        Recording main = new Recording("main");
        CountingCaller caller = new CountingCaller(SELF);
        WarmupRouting routing = new WarmupRouting(main, new Warmup(null), caller, SELF); // warm-up off / not built

        routing.generate(HotPathWarmup.TENANT, null, null, false);
        routing.stream(HotPathWarmup.TENANT, null, null);
        routing.generateAsync("acme", null, null, false);

        assertThat(main.calls).containsExactly("generate", "stream", "generateAsync");
        assertThat(caller.lookups.get()).isZero();
    }

    /** The warm-up with its private service as given (null: off, or not built yet); nothing else is used. */
    @Vetoed // not a bean of the Quarkus tests' application
    private static final class Warmup extends HotPathWarmup {
        private final GenerateUseCase loopback;

        Warmup(GenerateUseCase loopback) {
            super(null, null, null, null, null, null, null, null, null, "enabled", () -> 0, null, null);
            this.loopback = loopback;
        }

        @Override
        GenerateUseCase loopbackService() {
            return loopback;
        }
    }

    /** The verified caller of a request made by {@code service}; counts how often it is asked. */
    @Vetoed
    private static final class CountingCaller extends Caller {
        private final String service;
        private final AtomicInteger lookups = new AtomicInteger();

        CountingCaller(String service) {
            super(null);
            this.service = service;
        }

        @Override
        public Optional<String> service() {
            lookups.incrementAndGet();
            return Optional.of(service);
        }
    }

    /** A use case that records which of its methods were called. */
    private static final class Recording implements GenerateUseCase {
        private final String name;
        private final List<String> calls = new ArrayList<>();

        Recording(String name) {
            this.name = name;
        }

        @Override
        public GenerateResponse generate(String tenant, GenerateRequest request, CacheMode cache) {
            calls.add("generate");
            return null;
        }

        @Override
        public GenerateResponse generate(String tenant, GenerateRequest request, CacheMode cache, boolean redact) {
            calls.add("generate");
            return null;
        }

        @Override
        public CompletionStage<GenerateResponse> generateAsync(
                String tenant, GenerateRequest request, CacheMode cache, boolean redact) {
            calls.add("generateAsync");
            return null;
        }

        @Override
        public GenerateResponse generateWithContext(
                String tenant,
                GenerateRequest request,
                dev.devloop.provider.domain.ContextPrompt context,
                CacheMode cache,
                boolean redact) {
            calls.add("generateWithContext");
            return null;
        }

        @Override
        public void stream(String tenant, GenerateRequest request, GenerationStream stream) {
            calls.add("stream");
        }

        @Override
        public void stream(String tenant, GenerateRequest request, boolean redact, GenerationStream stream) {
            calls.add("stream");
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
