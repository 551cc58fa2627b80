package dev.devloop.gateway.domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The {@code Devloop-Signature} header: {@code t=<unix seconds>,v1=<hex HMAC-SHA256 over "<t>.<body>">}. */
public final class WebhookSignature {
    public static final String HEADER = "Devloop-Signature";

    private WebhookSignature() {}

    /** The header value signing {@code body} at {@code unixSeconds} with {@code secret}. */
    public static String header(String secret, long unixSeconds, String body) {
        return "t=" + unixSeconds + ",v1=" + hmacHex(secret, unixSeconds + "." + body);
    }

    /** Hex HMAC-SHA256 of {@code payload} (UTF-8) under {@code secret} (UTF-8). */
    public static String hmacHex(String secret, String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from the JDK", e);
        }
    }
}
