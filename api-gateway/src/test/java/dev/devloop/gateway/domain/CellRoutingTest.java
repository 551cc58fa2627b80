package dev.devloop.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tenant → cell table as k8s/cells/tenant-routing.yaml describes it. */
class CellRoutingTest {
    private static Map<Service, String> cell(String host) {
        Map<Service, String> urls = new EnumMap<>(Service.class);
        urls.put(Service.AGENT, "http://agent." + host + ":8081/");
        urls.put(Service.KNOWLEDGE, "http://knowledge." + host + ":8082");
        urls.put(Service.TOOL, "http://tool." + host + ":8083");
        urls.put(Service.PROVIDER, "http://provider." + host + ":8084");
        return urls;
    }

    private final CellRouting routing = new CellRouting(
            Map.of("acme", "eu-1", "globex", "eu-1", "initech", "us-1"),
            Map.of("eu-1", cell("eu-1"), "us-1", cell("us-1")),
            "us-1");

    @Test
    void listedTenantsGoToTheirCellAndOthersToTheFallback() {
        assertThat(routing.cellOf("acme")).isEqualTo("eu-1");
        assertThat(routing.baseUrl("globex", Service.KNOWLEDGE)).isEqualTo("http://knowledge.eu-1:8082");
        assertThat(routing.baseUrl("initech", Service.TOOL)).isEqualTo("http://tool.us-1:8083");
        assertThat(routing.cellOf("someone-new")).isEqualTo("us-1");
        assertThat(routing.baseUrl("someone-new", Service.AGENT))
                .as("trailing slash dropped")
                .isEqualTo("http://agent.us-1:8081");
        assertThat(routing.defaultUrl(Service.PROVIDER)).isEqualTo("http://provider.us-1:8084");
    }

    @Test
    void aBadTableIsRefusedNamingTheProblem() {
        assertThatThrownBy(() -> new CellRouting(Map.of("acme", "mars"), Map.of("us-1", cell("us-1")), "us-1"))
                .hasMessageContaining("acme")
                .hasMessageContaining("mars");
        assertThatThrownBy(() -> new CellRouting(Map.of(), Map.of("us-1", cell("us-1")), "eu-1"))
                .hasMessageContaining("eu-1");
        Map<Service, String> partial = cell("eu-1");
        partial.remove(Service.TOOL);
        assertThatThrownBy(() -> new CellRouting(Map.of(), Map.of("eu-1", partial), "eu-1"))
                .hasMessageContaining("tool-service");
        Map<Service, String> bad = cell("eu-1");
        bad.put(Service.TOOL, "ftp://x");
        assertThatThrownBy(() -> new CellRouting(Map.of(), Map.of("eu-1", bad), "eu-1"))
                .hasMessageContaining("http");
    }
}
