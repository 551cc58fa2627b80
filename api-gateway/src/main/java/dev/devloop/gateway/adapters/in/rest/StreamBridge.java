package dev.devloop.gateway.adapters.in.rest;

import io.smallrye.mutiny.subscription.MultiEmitter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Hands events from a subscription taken eagerly (so a refusal is still a plain HTTP error) to the SSE
 * emitter once the response subscribes; events arriving before that wait here, at most {@code maxPending}.
 */
final class StreamBridge<E, T> {
    private final int maxPending;
    private final Function<E, T> mapper;
    private final List<E> pending = new ArrayList<>();
    private MultiEmitter<? super T> emitter;
    private boolean overflowed;

    StreamBridge(int maxPending, Function<E, T> mapper) {
        this.maxPending = maxPending;
        this.mapper = mapper;
    }

    synchronized void offer(E event) {
        if (emitter != null) {
            emitter.emit(mapper.apply(event));
        } else if (pending.size() < maxPending) {
            pending.add(event);
        } else {
            overflowed = true;
        }
    }

    synchronized void attach(MultiEmitter<? super T> target) {
        emitter = target;
        if (overflowed) {
            target.fail(new IllegalStateException("the stream fell more than " + maxPending + " events behind"));
            return;
        }
        pending.forEach(event -> target.emit(mapper.apply(event)));
        pending.clear();
    }
}
