package dev.devloop.gateway.support;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A local HTTP server publishing the test public key as a JWKS (kid {@value #KID}), as an OIDC provider would. */
public class JwksServer implements QuarkusTestResourceLifecycleManager {
    public static final String KID = "devloop-test-k1";
    public static final AtomicInteger FETCHES = new AtomicInteger();
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            String jwks = "{\"keys\":[" + jwk() + "]}";
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/.well-known/jwks.json", exchange -> {
                FETCHES.incrementAndGet();
                byte[] body = jwks.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return Map.of(
                    "mp.jwt.verify.publickey.location",
                    "http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/jwks.json");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String jwk() throws Exception {
        String pem;
        try (InputStream in = JwksServer.class.getClassLoader().getResourceAsStream(Tokens.PUBLIC_KEY)) {
            pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        return "{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\"" + KID + "\",\"n\":\""
                + b64(key.getModulus()) + "\",\"e\":\"" + b64(key.getPublicExponent()) + "\"}";
    }

    private static String b64(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
