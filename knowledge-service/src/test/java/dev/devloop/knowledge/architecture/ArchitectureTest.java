package dev.devloop.knowledge.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.devloop.archrules.DevloopArchitecture;
import dev.devloop.archrules.HexagonalArchitectureTest;
import org.junit.jupiter.api.Test;

/** knowledge-service keeps the shared hexagonal rules (arch-rules; docs/service-conventions.md): one test per rule. */
class ArchitectureTest extends HexagonalArchitectureTest {
    private static final String BASE = "dev.devloop.knowledge";

    ArchitectureTest() {
        super(BASE);
    }

    /** Issue #19: every resource and use case takes the tenant from the verified caller. */
    @Test
    void tenantComesFromTheCaller() {
        JavaClasses production = DevloopArchitecture.importProduction(BASE);
        DevloopArchitecture.tenantComesFromTheCaller(BASE).check(production);
    }
}
