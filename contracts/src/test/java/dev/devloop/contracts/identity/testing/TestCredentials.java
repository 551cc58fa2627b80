package dev.devloop.contracts.identity.testing;

import dev.devloop.contracts.identity.ServiceKeys;
import dev.devloop.contracts.identity.ServiceTokens;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Signs internal tokens in tests as the cell member {@code devloop-test}, with a key published to the same key
 * directory the services under test read (DEVLOOP_IDENTITY_DIR, else ~/.devloop/identity), so the services verify
 * them exactly as they verify each other's.
 */
public final class TestCredentials {
    public static final String TEST_CALLER = "devloop-test";

    private static volatile ServiceTokens tokens;

    public static Path keyDir() {
        String configured = System.getenv("DEVLOOP_IDENTITY_DIR");
        return configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".devloop", "identity");
    }

    /** An {@code Authorization} header value for a call to {@code audience} acting for the tenant and subject. */
    public static String bearer(String audience, String tenant, String subject, List<String> roles) {
        return tokens().bearer(audience, tenant, subject == null ? "test" : subject, roles);
    }

    public static String bearer(String audience, String tenant) {
        return bearer(audience, tenant, null, List.of());
    }

    private static ServiceTokens tokens() {
        ServiceTokens current = tokens;
        if (current == null) {
            synchronized (TestCredentials.class) {
                if (tokens == null) {
                    tokens = new ServiceTokens(
                            ServiceKeys.open(keyDir(), TEST_CALLER, true), "devloop-cell", Duration.ofSeconds(60));
                }
                current = tokens;
            }
        }
        return current;
    }

    private TestCredentials() {}
}
