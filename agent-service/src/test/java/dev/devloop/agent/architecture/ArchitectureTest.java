package dev.devloop.agent.architecture;

import dev.devloop.archrules.HexagonalArchitectureTest;

/** agent-service keeps the shared hexagonal rules (arch-rules; docs/service-conventions.md): one test per rule. */
class ArchitectureTest extends HexagonalArchitectureTest {
    ArchitectureTest() {
        super("dev.devloop.agent");
    }
}
