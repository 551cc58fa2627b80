package dev.devloop.gateway.adapters.out.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.devloop.contracts.identity.testing.TestTls;
import io.quarkus.tls.BaseTlsConfiguration;
import io.quarkus.tls.TlsConfiguration;
import io.vertx.core.Vertx;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.TrustOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The forwarded-read path (the Vert.x exchange) to a sibling behind the cell's mTLS: the sibling presents a
 * certificate from the cell's CA (unknown to the JDK's trust store) and requires the caller's client certificate.
 * With the cell's TLS entry the gateway trusts the sibling and presents its own certificate (CN = api-gateway);
 * without it the sibling's certificate is not trusted.
 */
class VertxExchangeCellTlsTest {
    private static final String PASSWORD = "changeit";

    @TempDir
    Path dir;

    private HttpsServer sibling;
    private Vertx vertx;

    @BeforeEach
    void start() throws Exception {
        TestTls.create(dir, "knowledge-service");
        TestTls.create(dir, "api-gateway");
        vertx = Vertx.vertx();
        SSLContext server = context(load(dir.resolve("knowledge-service.p12")), trustOnly("api-gateway"));
        sibling = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        sibling.setHttpsConfigurator(new HttpsConfigurator(server) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters ssl = server.getDefaultSSLParameters();
                ssl.setNeedClientAuth(true);
                params.setSSLParameters(ssl);
            }
        });
        sibling.createContext("/api/v1/facts", exchange -> {
            String caller = ((HttpsExchange) exchange)
                    .getSSLSession()
                    .getPeerPrincipal()
                    .getName();
            byte[] body = ("{\"caller\":\"" + caller + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        sibling.start();
    }

    @AfterEach
    void stop() {
        sibling.stop(0);
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private String facts() {
        return "https://localhost:" + sibling.getAddress().getPort() + "/api/v1/facts";
    }

    @Test
    void withTheCellsTlsTheSiblingIsTrustedAndSeesTheGatewaysCertificate() throws Exception {
        TlsConfiguration cell = gatewayTrustingKnowledge();
        try (VertxExchange exchange = new VertxExchange(vertx, Duration.ofSeconds(2), 4, Optional.of(cell))) {
            VertxExchange.Answer answer =
                    exchange.exchange("GET", facts(), Map.of(), new byte[0], Duration.ofSeconds(5), 4096);
            assertThat(answer.status()).isEqualTo(200);
            assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("{\"caller\":\"CN=api-gateway\"}");
            // the async path (forwarded reads on the event loop) uses the same client
            VertxExchange.Answer async = exchange.exchangeAsync(
                            "GET", facts(), Map.of(), new byte[0], Duration.ofSeconds(5), 4096)
                    .get();
            assertThat(async.status()).isEqualTo(200);
        }
    }

    @Test
    void anEventLoopCallerGetsItsLoopsOwnClientWithTheCellsTlsAndItsAnswerOnThatLoop() throws Exception {
        TlsConfiguration cell = gatewayTrustingKnowledge();
        try (VertxExchange exchange = new VertxExchange(vertx, Duration.ofSeconds(2), 4, Optional.of(cell))) {
            for (int call = 0; call < 2; call++) { // the second reuses the loop's client (and its connection)
                CompletableFuture<Thread> caller = new CompletableFuture<>();
                CompletableFuture<Thread> answeredOn = new CompletableFuture<>();
                CompletableFuture<VertxExchange.Answer> answer = new CompletableFuture<>();
                vertx.getOrCreateContext().runOnContext(ignored -> {
                    caller.complete(Thread.currentThread());
                    exchange.exchangeAsync("GET", facts(), Map.of(), new byte[0], Duration.ofSeconds(5), 4096)
                            .whenComplete((done, failed) -> {
                                answeredOn.complete(Thread.currentThread());
                                if (failed == null) {
                                    answer.complete(done);
                                } else {
                                    answer.completeExceptionally(failed);
                                }
                            });
                });
                VertxExchange.Answer got = answer.get(10, TimeUnit.SECONDS);
                assertThat(got.status()).isEqualTo(200);
                assertThat(new String(got.body(), StandardCharsets.UTF_8)).isEqualTo("{\"caller\":\"CN=api-gateway\"}");
                assertThat(answeredOn.get(1, TimeUnit.SECONDS)).isSameAs(caller.get(1, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void withoutTheCellsTlsTheSiblingsCertificateIsNotTrusted() {
        try (VertxExchange exchange = new VertxExchange(vertx, Duration.ofSeconds(2), 4, Optional.empty())) {
            assertThatThrownBy(
                            () -> exchange.exchange("GET", facts(), Map.of(), new byte[0], Duration.ofSeconds(5), 4096))
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void trustingTheCellWithoutPresentingACertificateIsRefusedByTheSibling() throws Exception {
        TlsConfiguration trustOnly = cellEntry(
                null,
                new PfxOptions()
                        .setPath(storeTrustOnly("knowledge-service").toString())
                        .setPassword(PASSWORD));
        try (VertxExchange exchange = new VertxExchange(vertx, Duration.ofSeconds(2), 4, Optional.of(trustOnly))) {
            assertThatThrownBy(
                            () -> exchange.exchange("GET", facts(), Map.of(), new byte[0], Duration.ofSeconds(5), 4096))
                    .isInstanceOf(IOException.class);
        }
    }

    /** api-gateway's own key and certificate, trusting only knowledge-service's certificate. */
    private TlsConfiguration gatewayTrustingKnowledge() throws Exception {
        return cellEntry(
                new PfxOptions()
                        .setPath(dir.resolve("api-gateway.p12").toString())
                        .setPassword(PASSWORD),
                new PfxOptions()
                        .setPath(storeTrustOnly("knowledge-service").toString())
                        .setPassword(PASSWORD));
    }

    private static TlsConfiguration cellEntry(KeyCertOptions keys, TrustOptions trust) {
        return new BaseTlsConfiguration() {
            @Override
            public KeyCertOptions getKeyStoreOptions() {
                return keys;
            }

            @Override
            public TrustOptions getTrustStoreOptions() {
                return trust;
            }
        };
    }

    private KeyStore load(Path p12) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    /** The certificate of {@code cn} alone: what a member of the cell trusts (the cell's CA stand-in). */
    private KeyStore trustOnly(String cn) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("cell-ca", load(dir.resolve(cn + ".p12")).getCertificate("k"));
        return trust;
    }

    private Path storeTrustOnly(String cn) throws Exception {
        Path file = dir.resolve(cn + "-trust.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            trustOnly(cn).store(out, PASSWORD.toCharArray());
        }
        return file;
    }

    private static SSLContext context(KeyStore keys, KeyStore trust) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD.toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }
}
