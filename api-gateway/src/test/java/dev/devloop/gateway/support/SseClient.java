package dev.devloop.gateway.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A minimal SSE client on the JDK HTTP client: reads the stream on its own thread into a queue of events. */
public final class SseClient implements AutoCloseable {
    /** One received event. */
    public record Event(String id, String name, String data) {}

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final HttpResponse<Stream<String>> response;
    private final Thread reader;

    private SseClient(HttpResponse<Stream<String>> response) {
        this.response = response;
        this.reader = new Thread(this::read, "sse-test-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens {@code url} with a bearer token and optional Last-Event-ID; returns once the headers arrived. */
    public static SseClient open(String url, String token, String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + token)
                .GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<Stream<String>> response = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .build()
                .sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines())
                .get(20, TimeUnit.SECONDS);
        return new SseClient(response);
    }

    public int status() {
        return response.statusCode();
    }

    public String contentType() {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    /** Waits until {@code count} events have arrived (or the timeout passed) and returns those that did. */
    public List<Event> take(int count, Duration timeout) throws InterruptedException {
        List<Event> taken = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (taken.size() < count) {
            long left = deadline - System.nanoTime();
            Event event = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
            if (event == null) {
                break;
            }
            taken.add(event);
        }
        return taken;
    }

    /** Events that arrived and were not taken yet. */
    public List<Event> drain() {
        List<Event> rest = new ArrayList<>();
        events.drainTo(rest);
        return rest;
    }

    private void read() {
        String id = null;
        String name = null;
        StringBuilder data = null;
        try (Stream<String> lines = response.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(id, name, data.toString()));
                    }
                    id = null;
                    name = null;
                    data = null;
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    String part = line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5);
                    data = data == null
                            ? new StringBuilder(part)
                            : data.append('\n').append(part);
                }
            }
        } catch (RuntimeException e) {
            // the stream was closed
        }
    }

    @Override
    public void close() {
        response.body().close();
        reader.interrupt();
    }
}
