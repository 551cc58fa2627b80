package dev.devloop.provider.adapters.in.rest;

import dev.devloop.contracts.provider.GenerateResponse;
import dev.devloop.provider.domain.ProviderFailure;
import dev.devloop.provider.ports.in.GenerationStream;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/** A bounded hand-over between the provider's streaming callbacks and the SSE writer thread. */
final class StreamBuffer implements GenerationStream {

    /** One streamed event: a text or reasoning delta, the final response, or a failure. */
    record Event(String text, GenerateResponse done, ProviderFailure failure, String reasoning) {
        Event(String text, GenerateResponse done, ProviderFailure failure) {
            this(text, done, failure, null);
        }

        boolean terminal() {
            return done != null || failure != null;
        }
    }

    private final BlockingQueue<Event> queue;
    private static final String GATEWAY = "gateway";
    private volatile boolean overflowed;
    private volatile dev.devloop.contracts.provider.InjectionScreening screening;

    StreamBuffer(int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity + 1);
    }

    @Override
    public void onScreened(dev.devloop.contracts.provider.InjectionScreening screening) {
        this.screening = screening;
    }

    /** How the request was screened for prompt injection (null when not screened). */
    dev.devloop.contracts.provider.InjectionScreening screening() {
        return screening;
    }

    @Override
    public void onText(String delta) {
        offer(new Event(delta, null, null));
    }

    @Override
    public void onReasoning(String delta) {
        offer(new Event(null, null, null, delta));
    }

    /** Queues a delta, keeping the last slot for the terminal event; a full buffer fails the stream once. */
    private void offer(Event delta) {
        if (!overflowed && queue.remainingCapacity() > 1) {
            queue.offer(delta);
        } else if (!overflowed) {
            overflowed = true;
            queue.offer(new Event(
                    null,
                    null,
                    ProviderFailure.of(
                            ProviderFailure.Kind.UPSTREAM_ERROR,
                            GATEWAY,
                            "stream buffer full: the client reads slower than the provider writes")));
        }
    }

    @Override
    public void onComplete(GenerateResponse response) {
        if (!overflowed) {
            queue.offer(new Event(null, response, null));
        }
    }

    @Override
    public void onError(ProviderFailure failure) {
        if (!overflowed) {
            queue.offer(new Event(null, null, failure));
        }
    }

    /** The next event, or a timeout failure when none arrives within {@code idle}. */
    Event next(Duration idle) throws InterruptedException {
        Event e = queue.poll(idle.toMillis(), TimeUnit.MILLISECONDS);
        if (e == null) {
            return new Event(
                    null,
                    null,
                    ProviderFailure.of(
                            ProviderFailure.Kind.UNREACHABLE,
                            GATEWAY,
                            "the provider sent nothing for " + idle.toSeconds() + " s"));
        }
        return e;
    }
}
