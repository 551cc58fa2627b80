package dev.devloop.provider.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Only the warm-up's own loopback calls reach its private service: its tenant, signed by this service. */
class WarmupRoutingTest {
    private static final String SELF = "provider-gateway";

    @Test
    void theWarmupsOwnCallGoesToItsService() {
        assertThat(WarmupRouting.isWarmupCall(true, HotPathWarmup.TENANT, SELF, SELF))
                .isTrue();
    }

    @Test
    void anotherCallerActingForTheWarmupTenantGoesToTheGateway() {
        assertThat(WarmupRouting.isWarmupCall(true, HotPathWarmup.TENANT, "agent-service", SELF))
                .isFalse();
        assertThat(WarmupRouting.isWarmupCall(true, HotPathWarmup.TENANT, null, SELF))
                .isFalse();
    }

    @Test
    void thisServiceActingForAnotherTenantGoesToTheGateway() {
        assertThat(WarmupRouting.isWarmupCall(true, "acme", SELF, SELF)).isFalse();
    }

    @Test
    void withTheWarmupOffEverythingGoesToTheGateway() {
        assertThat(WarmupRouting.isWarmupCall(false, HotPathWarmup.TENANT, SELF, SELF))
                .isFalse();
    }
}
