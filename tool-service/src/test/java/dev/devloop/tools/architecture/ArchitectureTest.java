package dev.devloop.tools.architecture;

import dev.devloop.archrules.HexagonalArchitectureTest;

/**
 * tool-service keeps the shared hexagonal rules (arch-rules; docs/service-conventions.md): one test per rule, issue
 * #19's tenantComesFromTheCaller among them (arch-rules' {@code rules}), over one import of the production classes.
 */
class ArchitectureTest extends HexagonalArchitectureTest {
    ArchitectureTest() {
        super("dev.devloop.tools");
    }
}
