package dev.devloop.gateway.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devloop.contracts.problem.Refusal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SSRF rules of webhook URLs, with a fixed resolver. */
class WebhookUrlRulesTest {
    private static final Map<String, String> DNS = Map.of(
            "hooks.example.com", "93.184.216.34",
            "internal.example.com", "10.0.0.7",
            "metadata.example.com", "169.254.169.254",
            "v6.example.com", "2606:4700::6810:85e5",
            "mapped.example.com", "::ffff:127.0.0.1");

    private final WebhookUrlRules rules = new WebhookUrlRules(
            host -> {
                String ip = DNS.getOrDefault(host, host.matches("[0-9a-fA-F.:]+") ? host : null);
                if (ip == null) {
                    return List.of();
                }
                try {
                    return List.of(InetAddress.getByName(ip));
                } catch (UnknownHostException e) {
                    return List.of();
                }
            },
            Set.of("127.0.0.1", "Allowed.Internal"),
            200);

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://hooks.example.com/devloop",
                "http://hooks.example.com:8443/x?y=1",
                "https://v6.example.com/",
                "http://127.0.0.1:9999/hook",
                "https://allowed.internal/hook"
            })
    void publicOrAllowedHostsPass(String url) {
        assertThat(rules.check(url)).isEqualTo(url);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ftp://hooks.example.com/",
                "hooks.example.com/x",
                "https://user:pw@hooks.example.com/",
                "http://localhost:8080/",
                "http://127.0.0.2/",
                "http://10.1.2.3/",
                "http://172.16.0.1/",
                "http://192.168.1.1/",
                "http://169.254.169.254/latest/meta-data",
                "http://metadata.example.com/",
                "http://internal.example.com/",
                "http://100.64.0.1/",
                "http://0.0.0.0/",
                "http://[::1]/",
                "http://[fd00::1]/",
                "http://mapped.example.com/",
                "https://nowhere.example.com/",
                "",
                "http://[::]/"
            })
    void unsafeOrInvalidUrlsAreRefusedNamingTheField(String url) {
        assertThatThrownBy(() -> rules.check(url)).isInstanceOf(Refusal.class).satisfies(e -> {
            assertThat(((Refusal) e).problem().status()).isEqualTo(400);
            assertThat(((Refusal) e).problem().field()).isEqualTo("url");
        });
    }

    @Test
    void overlongUrlsAreRefused() {
        assertThatThrownBy(() -> rules.check("https://hooks.example.com/" + "a".repeat(200)))
                .isInstanceOf(Refusal.class);
    }
}
