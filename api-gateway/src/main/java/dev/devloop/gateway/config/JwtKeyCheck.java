package dev.devloop.gateway.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Fails the boot when the JWT public key is not configured or not readable: no key, no gateway. */
@ApplicationScoped
public class JwtKeyCheck {
    static final String ENV = "DEVLOOP_JWT_PUBLIC_KEY_LOCATION";
    /** smallrye-jwt's marker for "no location configured". */
    static final String UNSET = "NONE";

    private final Optional<String> location;

    public JwtKeyCheck(@ConfigProperty(name = "mp.jwt.verify.publickey.location") Optional<String> location) {
        this.location = location;
    }

    void onStart(@Observes StartupEvent event) {
        verify(location);
    }

    /** Throws {@link IllegalStateException} naming {@value #ENV} unless {@code location} points at a key. */
    static void verify(Optional<String> location) {
        String value = location.map(String::trim).orElse("");
        if (value.isEmpty() || UNSET.equals(value)) {
            throw new IllegalStateException(
                    ENV + " is not set: api-gateway needs the path (or URL) of the RS256 public "
                            + "key that verifies client tokens (deploy/devloop token --public-key prints the dev key's path)");
        }
        if (value.startsWith("http://") || value.startsWith("https://")) {
            return;
        }
        if (value.startsWith("classpath:")) {
            requireResource(value, value.substring("classpath:".length()));
            return;
        }
        Path file = Path.of(value.startsWith("file:") ? value.substring("file:".length()) : value);
        if (!Files.isReadable(file)) {
            requireResource(value, value);
        }
    }

    private static void requireResource(String value, String resource) {
        if (Thread.currentThread().getContextClassLoader().getResource(resource) == null) {
            throw new IllegalStateException(
                    ENV + " points at '" + value + "', which is neither a readable file nor a " + "classpath resource");
        }
    }
}
