package dev.devloop.gateway.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The boot-time guard on the JWT public key location. */
class JwtKeyCheckTest {

    @Test
    void aMissingLocationNamesTheVariable() {
        assertThatThrownBy(() -> JwtKeyCheck.verify(Optional.empty()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("DEVLOOP_JWT_PUBLIC_KEY_LOCATION is not set");
        assertThatThrownBy(() -> JwtKeyCheck.verify(Optional.of("NONE")))
                .hasMessageStartingWith("DEVLOOP_JWT_PUBLIC_KEY_LOCATION is not set");
        assertThatThrownBy(() -> JwtKeyCheck.verify(Optional.of("  ")))
                .hasMessageContaining("DEVLOOP_JWT_PUBLIC_KEY_LOCATION");
    }

    @Test
    void anUnreadableFileIsRefused(@TempDir Path dir) {
        assertThatThrownBy(() ->
                        JwtKeyCheck.verify(Optional.of(dir.resolve("absent.pem").toString())))
                .hasMessageContaining("DEVLOOP_JWT_PUBLIC_KEY_LOCATION")
                .hasMessageContaining("absent.pem");
    }

    @Test
    void filesClasspathResourcesAndUrlsAreAccepted(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("k.pem"), "-----BEGIN PUBLIC KEY-----");
        assertThatCode(() -> JwtKeyCheck.verify(Optional.of(key.toString()))).doesNotThrowAnyException();
        assertThatCode(() -> JwtKeyCheck.verify(Optional.of("file:" + key))).doesNotThrowAnyException();
        assertThatCode(() -> JwtKeyCheck.verify(Optional.of("test-keys/jwt-public.pem")))
                .doesNotThrowAnyException();
        assertThatCode(() -> JwtKeyCheck.verify(Optional.of("classpath:test-keys/jwt-public.pem")))
                .doesNotThrowAnyException();
        assertThatCode(() -> JwtKeyCheck.verify(Optional.of("https://idp.example/jwks")))
                .doesNotThrowAnyException();
    }
}
