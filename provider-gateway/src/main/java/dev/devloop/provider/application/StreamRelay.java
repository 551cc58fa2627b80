package dev.devloop.provider.application;

import dev.devloop.provider.domain.ProviderFailure;
import dev.devloop.provider.domain.Route;
import dev.devloop.provider.ports.in.GenerationStream;
import dev.devloop.provider.ports.out.ChatProviderPort;
import dev.devloop.provider.ports.out.ProviderAnswer;
import dev.devloop.provider.ports.out.StreamListener;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Relays a provider's stream to the caller, route by route: a failure before the first token falls back to the next
 * route of the chain when that may help; after it, the failure ends the stream. Each route's stream holds a slot of
 * its provider's bulkhead until it ends.
 */
final class StreamRelay {
    private final ProviderRouter router;
    private final ProviderInvoker invoker;
    private final CallOutcomes outcomes;

    StreamRelay(ProviderRouter router, ProviderInvoker invoker, CallOutcomes outcomes) {
        this.router = router;
        this.invoker = invoker;
        this.outcomes = outcomes;
    }

    void relay(PreparedCall call, int i, GenerationStream stream) {
        Route route = call.routes().get(i);
        ChatProviderPort provider = router.provider(route.provider());
        AtomicBoolean texted = new AtomicBoolean();
        AtomicReference<Runnable> release = new AtomicReference<>(() -> {}); // the bulkhead slot, once admitted
        StreamListener listener = new StreamListener() {
            @Override
            public void onText(String delta) {
                texted.set(true);
                stream.onText(delta);
            }

            @Override
            public void onReasoning(String delta) {
                if (!call.redact()) { // a masked call gets its reasoning whole, masked, with the final response
                    texted.set(true);
                    stream.onReasoning(delta);
                }
            }

            @Override
            public void onComplete(ProviderAnswer answer) {
                release.get().run();
                stream.onComplete(outcomes.succeeded(call, route, answer, true).withInjection(call.screening()));
            }

            @Override
            public void onError(ProviderFailure failure) {
                release.get().run();
                outcomes.failed(call, route, failure);
                if (!texted.get()
                        && i + 1 < call.routes().size()
                        && failure.kind().fallsBack()) {
                    outcomes.fallingBack(call, route, call.routes().get(i + 1), failure);
                    relay(call, i + 1, stream);
                } else {
                    stream.onError(failure);
                }
            }
        };
        try {
            if (!provider.configured()) {
                throw ProviderFailure.of(
                        ProviderFailure.Kind.NOT_CONFIGURED, provider.name(), provider.notConfiguredDetail());
            }
            invoker.stream(provider, slot -> {
                release.set(slot);
                provider.stream(call.commandFor(route), route.model(), listener);
            });
        } catch (ProviderFailure failure) {
            listener.onError(failure); // not admitted: nothing to release
        }
    }
}
