package dev.devloop.tools.adapters.out.http;

import dev.devloop.tools.ports.out.DownstreamException;
import dev.devloop.tools.ports.out.NetworkPort;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** Network probes with the JDK: redirects are never followed and bodies are read only up to the bound. */
public class JdkNetwork implements NetworkPort {
    private final HttpClient client;

    public JdkNetwork(long connectTimeoutMs) {
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofMillis(connectTimeoutMs))
                .build();
    }

    @Override
    public List<InetAddress> resolve(String host) {
        try {
            return Arrays.asList(InetAddress.getAllByName(host));
        } catch (UnknownHostException e) {
            throw new DownstreamException("'" + host + "' does not resolve");
        }
    }

    @Override
    public void connect(InetAddress address, int port, long timeoutMs) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), (int) timeoutMs);
        } catch (IOException e) {
            throw new DownstreamException("TCP " + address.getHostAddress() + ":" + port + " failed: "
                    + e.getClass().getSimpleName());
        }
    }

    @Override
    public HttpAnswer get(URI uri, long timeoutMs, int maxBodyBytes) {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofMillis(timeoutMs))
                .GET()
                .build();
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                byte[] bytes = body.readNBytes(maxBodyBytes + 1);
                boolean truncated = bytes.length > maxBodyBytes;
                String text = new String(bytes, 0, Math.min(bytes.length, maxBodyBytes), StandardCharsets.UTF_8);
                return new HttpAnswer(
                        response.statusCode(),
                        response.headers().firstValue("Location").orElse(null),
                        text,
                        truncated);
            }
        } catch (IOException e) {
            throw new DownstreamException(
                    "HTTP GET " + uri + " failed: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DownstreamException("HTTP GET " + uri + " was interrupted");
        }
    }
}
