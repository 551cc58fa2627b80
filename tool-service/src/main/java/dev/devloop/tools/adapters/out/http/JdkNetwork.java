package dev.devloop.tools.adapters.out.http;

import dev.devloop.tools.ports.out.DownstreamException;
import dev.devloop.tools.ports.out.NetworkPort;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Network probes with the JDK. HTTP is spoken by hand over a socket connected to the pinned address (HTTP/1.1,
 * {@code Connection: close}; HTTPS with SNI and certificate host-name verification against the URL's host), so
 * no second name lookup can send the request elsewhere; redirects are never followed and bodies are read only up
 * to the bound.
 */
public class JdkNetwork implements NetworkPort {
    private static final int MAX_HEADER_BYTES = 16 * 1024;

    private final long connectTimeoutMs;
    private final Optional<SSLContext> cellTls;
    private final Set<String> cellHosts;

    public JdkNetwork(long connectTimeoutMs) {
        this(connectTimeoutMs, Optional.empty(), Set.of());
    }

    /**
     * With the cell's mTLS context for the Devloop services' own hosts ({@code cellHosts}): their certificates are
     * issued by the cell's CA, which the JDK's default trust store does not know. Every other host keeps it.
     */
    public JdkNetwork(long connectTimeoutMs, Optional<SSLContext> cellTls, Set<String> cellHosts) {
        this.connectTimeoutMs = connectTimeoutMs;
        this.cellTls = cellTls;
        this.cellHosts = Set.copyOf(cellHosts);
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
    public HttpAnswer get(PinnedUrl url, long timeoutMs, int maxBodyBytes) {
        URI uri = url.uri();
        boolean tls = "https".equalsIgnoreCase(uri.getScheme());
        if (!tls && !"http".equalsIgnoreCase(uri.getScheme())) {
            throw new DownstreamException("HTTP GET " + uri + " failed: unsupported scheme");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(url.address(), port), (int)
                    Math.max(1, Math.min(connectTimeoutMs, timeoutMs)));
            plain.setSoTimeout((int) Math.max(1, timeoutMs));
            Socket socket = tls ? secure(plain, uri.getHost(), port) : plain;
            try {
                OutputStream out = socket.getOutputStream();
                out.write(request(uri, port, tls).getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                return read(socket.getInputStream(), maxBodyBytes, deadline);
            } finally {
                if (socket != plain) {
                    socket.close();
                }
            }
        } catch (SocketTimeoutException e) {
            throw new DownstreamException("HTTP GET " + uri + " failed: timed out after " + timeoutMs + " ms");
        } catch (IOException e) {
            throw new DownstreamException(
                    "HTTP GET " + uri + " failed: " + e.getClass().getSimpleName());
        }
    }

    private Socket secure(Socket plain, String host, int port) throws IOException {
        SSLSocketFactory factory = cellTls.filter(tls -> cellHosts.contains(host.toLowerCase(Locale.ROOT)))
                .map(SSLContext::getSocketFactory)
                .orElse((SSLSocketFactory) SSLSocketFactory.getDefault());
        SSLSocket socket = (SSLSocket) factory.createSocket(plain, host, port, true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    private static String request(URI uri, int port, boolean tls) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        String host = uri.getHost();
        boolean defaultPort = port == (tls ? 443 : 80);
        String authority = defaultPort ? host : host + ":" + port;
        return "GET " + path + " HTTP/1.1\r\nHost: " + authority
                + "\r\nAccept: */*\r\nUser-Agent: devloop-tool-service\r\nConnection: close\r\n\r\n";
    }

    /** Status line, headers (bounded), then the body: chunked, by Content-Length, or to the end of the stream. */
    static HttpAnswer read(InputStream in, int maxBodyBytes, long deadlineNanos) throws IOException {
        Bounded input = new Bounded(in, deadlineNanos);
        String status = input.line(MAX_HEADER_BYTES);
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x answer");
        }
        int code;
        try {
            code = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("malformed status line", e);
        }
        String location = null;
        long length = -1;
        boolean chunked = false;
        int headerBytes = status.length();
        for (String line = input.line(MAX_HEADER_BYTES); !line.isEmpty(); line = input.line(MAX_HEADER_BYTES)) {
            headerBytes += line.length() + 2;
            if (headerBytes > MAX_HEADER_BYTES) {
                throw new IOException("headers larger than " + MAX_HEADER_BYTES + " bytes");
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            switch (name) {
                case "location" -> location = value;
                case "content-length" -> length = parseLength(value);
                case "transfer-encoding" ->
                    chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                default -> {}
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean truncated;
        if (code == 204 || code == 304 || (code >= 100 && code < 200)) {
            truncated = false;
        } else if (chunked) {
            truncated = false;
            while (true) {
                String sizeLine = input.line(1024);
                int semicolon = sizeLine.indexOf(';');
                long size = parseHex(semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine);
                if (size == 0) {
                    break;
                }
                truncated = input.copy(body, size, maxBodyBytes);
                if (truncated) {
                    break;
                }
                input.line(2);
            }
        } else {
            truncated = input.copy(body, length < 0 ? Long.MAX_VALUE : length, maxBodyBytes);
        }
        return new HttpAnswer(code, location, body.toString(StandardCharsets.UTF_8), truncated);
    }

    private static long parseLength(String value) throws IOException {
        try {
            long n = Long.parseLong(value);
            if (n < 0) {
                throw new IOException("negative Content-Length");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IOException("malformed Content-Length", e);
        }
    }

    private static long parseHex(String value) throws IOException {
        try {
            long n = Long.parseLong(value.trim(), 16);
            if (n < 0) {
                throw new IOException("negative chunk size");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IOException("malformed chunk size", e);
        }
    }

    /** A stream read with a whole-answer deadline (on top of the socket's per-read timeout). */
    private static final class Bounded {
        private final InputStream in;
        private final long deadlineNanos;

        Bounded(InputStream in, long deadlineNanos) {
            this.in = in;
            this.deadlineNanos = deadlineNanos;
        }

        private int next() throws IOException {
            if (System.nanoTime() - deadlineNanos > 0) {
                throw new SocketTimeoutException("deadline passed");
            }
            return in.read();
        }

        /** One CRLF- (or LF-) terminated line of at most {@code max} bytes; the end of the stream ends it. */
        String line(int max) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int c;
            while ((c = next()) >= 0 && c != '\n') {
                if (line.size() >= max) {
                    throw new IOException("line longer than " + max + " bytes");
                }
                line.write(c);
            }
            if (c < 0 && line.size() == 0) {
                throw new IOException("connection closed before the answer ended");
            }
            byte[] bytes = line.toByteArray();
            int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
            return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
        }

        /** Copies up to {@code length} bytes into {@code body}; true once the body would pass {@code max}. */
        boolean copy(ByteArrayOutputStream body, long length, int max) throws IOException {
            byte[] buffer = new byte[8192];
            long left = length;
            while (left > 0) {
                if (System.nanoTime() - deadlineNanos > 0) {
                    throw new SocketTimeoutException("deadline passed");
                }
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    return false;
                }
                left -= n;
                int room = max - body.size();
                if (n > room) {
                    body.write(buffer, 0, Math.max(0, room));
                    return true;
                }
                body.write(buffer, 0, n);
            }
            return false;
        }
    }
}
