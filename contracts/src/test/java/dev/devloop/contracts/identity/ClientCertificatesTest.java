package dev.devloop.contracts.identity;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Certificates made by the JDK's keytool, as cert-manager would issue them: CN the service, DNS names its Service. */
class ClientCertificatesTest {
    @TempDir
    Path dir;

    private Certificate certificate(String dname, String san) throws Exception {
        Path store = dir.resolve(dname.replaceAll("\\W", "_") + ".p12");
        String keytool =
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        List<String> command = new java.util.ArrayList<>(List.of(
                keytool,
                "-genkeypair",
                "-alias",
                "k",
                "-keyalg",
                "EC",
                "-dname",
                dname,
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                "changeit"));
        if (san != null) {
            command.addAll(List.of("-ext", "san=" + san));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed for " + dname);
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, "changeit".toCharArray());
        }
        return keys.getCertificate("k");
    }

    @Test
    void aCertificateNamingTheCallingServiceIsAccepted() throws Exception {
        Certificate byName = certificate("CN=agent-service,O=devloop", null);
        Certificate byDns = certificate("CN=devloop-eu-1-agent", "dns:agent-service.devloop.svc.cluster.local");

        assertThatCode(() ->
                        ClientCertificates.check(List.of(byName), "agent-service", ClientCertificates.Mode.REQUIRED))
                .doesNotThrowAnyException();
        assertThatCode(() ->
                        ClientCertificates.check(List.of(byDns), "agent-service", ClientCertificates.Mode.REQUIRED))
                .doesNotThrowAnyException();
    }

    @Test
    void anotherServicesCertificateCannotCarryThisToken() throws Exception {
        Certificate tools = certificate("CN=tool-service", "dns:tool-service.devloop.svc");

        assertThatThrownBy(() ->
                        ClientCertificates.check(List.of(tools), "agent-service", ClientCertificates.Mode.OPTIONAL))
                .isInstanceOf(IdentityRefusal.class)
                .hasMessageContaining("does not belong to agent-service");
    }

    @Test
    void withoutACertificateOnlyTheOptionalModeAdmits() {
        assertThatThrownBy(() -> ClientCertificates.check(List.of(), "agent-service", ClientCertificates.Mode.REQUIRED))
                .isInstanceOf(IdentityRefusal.class)
                .hasMessageContaining("client certificate");
        assertThatCode(() -> ClientCertificates.check(null, "agent-service", ClientCertificates.Mode.OPTIONAL))
                .doesNotThrowAnyException();
    }
}
