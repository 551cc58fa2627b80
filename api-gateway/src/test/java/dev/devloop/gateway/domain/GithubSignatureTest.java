package dev.devloop.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GitHub's signature: checked against GitHub's documented test vector, and every malformed header refused. */
class GithubSignatureTest {
    // docs.github.com "Validating webhook deliveries": secret "It's a Secret to Everybody", payload "Hello, World!"
    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.UTF_8);
    private static final String GITHUB_VECTOR =
            "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    private static final String SECRET = "It's a Secret to Everybody";

    @Test
    void githubsPublishedExampleVerifies() {
        assertThat(GithubSignature.verifies(GITHUB_VECTOR, HELLO, List.of(SECRET)))
                .isTrue();
        assertThat(GithubSignature.verifies(
                        GITHUB_VECTOR.toUpperCase().replace("SHA256=", "sha256="), HELLO, List.of(SECRET)))
                .isTrue();
    }

    @Test
    void anyOfSeveralSecretsVerifiesAndNoneOtherDoes() {
        assertThat(GithubSignature.verifies(GITHUB_VECTOR, HELLO, List.of("new-secret-0123456789", SECRET)))
                .isTrue();
        assertThat(GithubSignature.verifies(GITHUB_VECTOR, HELLO, List.of("new-secret-0123456789")))
                .isFalse();
        assertThat(GithubSignature.verifies(GITHUB_VECTOR, HELLO, List.of())).isFalse();
        assertThat(GithubSignature.verifies(
                        GITHUB_VECTOR, "Hello, World?".getBytes(StandardCharsets.UTF_8), List.of(SECRET)))
                .isFalse();
    }

    @Test
    void malformedHeadersNeverVerify() {
        for (String header : new String[] {
            null,
            "",
            "sha256=",
            "sha1=757107ea0eb2509fc211221cce984b8a37570b6d",
            GITHUB_VECTOR.substring(7),
            GITHUB_VECTOR + "00",
            GITHUB_VECTOR.replace('7', 'z'),
            " " + GITHUB_VECTOR
        }) {
            assertThat(GithubSignature.verifies(header, HELLO, List.of(SECRET)))
                    .as(String.valueOf(header))
                    .isFalse();
        }
    }
}
