package dev.devloop.gateway.adapters.out.http;

import dev.devloop.contracts.identity.CellTls;
import dev.devloop.gateway.ports.out.DependencyProbe;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A sibling in the default cell is usable when its own {@code /q/health/ready} answers 200 within a bounded time. */
abstract class SiblingProbe implements DependencyProbe {
    private final String name;
    private final String affects;
    private final URI readyUri;
    private final Duration timeout;
    private final HttpClient http;

    SiblingProbe(String name, String baseUrl, Duration timeout, String affects, CellTls cellTls) {
        this.name = name;
        this.affects = affects;
        this.readyUri = URI.create(baseUrl.replaceAll("/+$", "") + "/q/health/ready");
        this.timeout = timeout;
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(timeout);
        cellTls.sslContext().ifPresent(http::sslContext); // an https sibling is trusted by the cell's CA
        this.http = http.build();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String affects() {
        return affects;
    }

    @Override
    public Result probe() {
        HttpRequest request =
                HttpRequest.newBuilder(readyUri).timeout(timeout).GET().build();
        try {
            int status =
                    http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return status == 200 ? Result.up(readyUri + " 200") : Result.down(readyUri + " answered " + status);
        } catch (IOException e) {
            return Result.down(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.down("interrupted");
        }
    }
}
