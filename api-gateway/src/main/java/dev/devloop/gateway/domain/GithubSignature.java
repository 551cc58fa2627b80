package dev.devloop.gateway.domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Collection;
import java.util.HexFormat;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** GitHub's {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>}. */
public final class GithubSignature {
    public static final String HEADER = "X-Hub-Signature-256";
    private static final Pattern FORMAT = Pattern.compile("sha256=[0-9a-fA-F]{64}");

    private GithubSignature() {}

    /**
     * True when {@code header} is a well-formed signature of {@code body} under one of {@code secrets}; every
     * secret is tried (no early exit) and each comparison is constant-time.
     */
    public static boolean verifies(String header, byte[] body, Collection<String> secrets) {
        if (header == null || !FORMAT.matcher(header).matches() || secrets.isEmpty()) {
            return false;
        }
        byte[] given =
                HexFormat.of().parseHex(header.substring("sha256=".length()).toLowerCase());
        boolean match = false;
        for (String secret : secrets) {
            match |= MessageDigest.isEqual(given, hmac(secret, body));
        }
        return match;
    }

    /** HMAC-SHA256 of {@code body} under {@code secret} (UTF-8). */
    public static byte[] hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from the JDK", e);
        }
    }
}
