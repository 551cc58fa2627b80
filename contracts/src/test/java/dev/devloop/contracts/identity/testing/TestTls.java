package dev.devloop.contracts.identity.testing;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away TLS identity made with the JDK's keytool (self-signed, DNS localhost and IP 127.0.0.1): the server
 * side of a test HTTPS endpoint, and the client side that trusts it — a stand-in for the cell's CA in tests of the
 * clients that take {@code CellTls}.
 */
public final class TestTls {
    private static final char[] PASSWORD = "changeit".toCharArray();

    private final KeyStore keys;
    private final KeyStore trust;

    private TestTls(KeyStore keys, KeyStore trust) {
        this.keys = keys;
        this.trust = trust;
    }

    /** A new identity with common name {@code cn}, written under {@code dir}. */
    public static TestTls create(Path dir, String cn) throws Exception {
        Path store = dir.resolve(cn + ".p12");
        String keytool =
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process process = new ProcessBuilder(List.of(
                        keytool,
                        "-genkeypair",
                        "-alias",
                        "k",
                        "-keyalg",
                        "EC",
                        "-dname",
                        "CN=" + cn,
                        "-ext",
                        "san=dns:localhost,ip:127.0.0.1",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        store.toString(),
                        "-storepass",
                        new String(PASSWORD)))
                .redirectErrorStream(true)
                .start();
        process.getInputStream().transferTo(OutputStream.nullOutputStream());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool could not make a certificate for " + cn);
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD);
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("cell-ca", keys.getCertificate("k"));
        return new TestTls(keys, trust);
    }

    /** Presents this identity (a server, or a client with a certificate). */
    public SSLContext serverContext() throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    /** Trusts this identity only, as a cell member trusts only the cell's CA. */
    public SSLContext clientContext() throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
