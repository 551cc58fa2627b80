package dev.devloop.gateway.adapters.out.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devloop.contracts.identity.ServiceKeys;
import dev.devloop.contracts.identity.ServiceTokens;
import dev.devloop.gateway.domain.Caller;
import dev.devloop.gateway.domain.Service;
import dev.devloop.gateway.support.SiblingTokens;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiblingCredentialsTest {
    @TempDir
    Path keyDir;

    private SiblingCredentials credentials() {
        return new SiblingCredentials(new ServiceTokens(
                ServiceKeys.open(keyDir, "api-gateway", true), "devloop-cell", Duration.ofSeconds(60)));
    }

    @Test
    void aHopTokenNamesTheSiblingAndActsForTheCallersTenantSubjectAndRoles() throws Exception {
        String authorization = credentials()
                .authorization(Service.KNOWLEDGE, new Caller("alice", "acme", Set.of("viewer", "operator")));

        JwtClaims claims = SiblingTokens.verified(authorization, "knowledge-service", keyDir);
        assertThat(claims.getAudience()).containsExactly("knowledge-service");
        assertThat(claims.getStringClaimValue("azp")).isEqualTo("api-gateway");
        assertThat(claims.getStringClaimValue("tenant")).isEqualTo("acme");
        assertThat(claims.getSubject()).isEqualTo("alice");
        assertThat(claims.getStringListClaimValue("groups")).containsExactly("operator", "viewer");
        assertThat(claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue())
                .isEqualTo(60);
    }

    @Test
    void theSameCallerReusesOneTokenPerSiblingWhateverTheOrderOfItsRoles() {
        SiblingCredentials credentials = credentials();
        Set<String> oneOrder = new LinkedHashSet<>(List.of("admin", "operator", "viewer"));
        Set<String> otherOrder = new LinkedHashSet<>(List.of("viewer", "admin", "operator"));

        String first = credentials.authorization(Service.AGENT, new Caller("bob", "acme", oneOrder));
        String again = credentials.authorization(Service.AGENT, new Caller("bob", "acme", otherOrder));
        String otherSibling = credentials.authorization(Service.TOOL, new Caller("bob", "acme", oneOrder));
        String otherTenant = credentials.authorization(Service.AGENT, new Caller("bob", "globex", oneOrder));

        assertThat(again)
                .as("ES256 signatures are randomised: an equal token was signed once and served from the cache")
                .isEqualTo(first);
        assertThat(otherSibling).isNotEqualTo(first);
        assertThat(otherTenant).isNotEqualTo(first);
        assertThatThrownBy(() -> SiblingTokens.verified(otherSibling, "agent-service", keyDir))
                .as("tool-service's token is no credential for agent-service")
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("does not verify");
    }
}
