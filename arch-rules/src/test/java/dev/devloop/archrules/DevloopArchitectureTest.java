package dev.devloop.archrules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The rules themselves, on two tiny fixture services: one that keeps every boundary, one that breaks each. */
class DevloopArchitectureTest {
    private static final String CLEAN = "dev.devloop.archrules.fixtures.clean";
    private static final String VIOLATING = "dev.devloop.archrules.fixtures.violating";
    private static final JavaClasses CLEAN_CLASSES = new ClassFileImporter().importPackages(CLEAN);
    private static final JavaClasses VIOLATING_CLASSES = new ClassFileImporter().importPackages(VIOLATING);

    private static List<String> failures(Function<String, ArchRule> rule, JavaClasses classes, String base) {
        EvaluationResult result = rule.apply(base).evaluate(classes);
        return result.getFailureReport().getDetails();
    }

    @Test
    void theCleanFixtureKeepsEveryRule() {
        assertThat(CLEAN_CLASSES.size()).as("fixture classes imported").isGreaterThanOrEqualTo(9);
        for (ArchRule rule : DevloopArchitecture.rules(CLEAN)) {
            assertThat(rule.evaluate(CLEAN_CLASSES).getFailureReport().getDetails())
                    .as(rule.getDescription())
                    .isEmpty();
        }
        assertThatCode(() -> DevloopArchitecture.check(CLEAN_CLASSES, CLEAN)).doesNotThrowAnyException();
    }

    @Test
    void aDomainThatImportsJacksonFails() {
        List<String> failures = failures(DevloopArchitecture::domainIsPlainJava, VIOLATING_CLASSES, VIOLATING);
        assertThat(failures).isNotEmpty();
        assertThat(failures).allMatch(line -> line.contains(VIOLATING + ".domain.Invoice"));
        assertThat(String.join("\n", failures)).contains("com.fasterxml.jackson.databind.JsonNode");
    }

    @Test
    void anApplicationThatImportsAnAdapterOrAnHttpTypeFails() {
        String failures = String.join(
                "\n", failures(DevloopArchitecture::applicationHasNoAdapterOrHttpType, VIOLATING_CLASSES, VIOLATING));
        assertThat(failures)
                .contains(VIOLATING + ".adapters.out.db.InvoiceTable")
                .contains("jakarta.ws.rs.NotFoundException")
                .contains("dev.devloop.contracts.problem.FixtureProblemException");
    }

    @Test
    void aPortThatNamesApplicationOrObjectMapperFailsWhileTheJsonTreeAndContractsRecordsPass() {
        String failures = String.join(
                "\n",
                failures(DevloopArchitecture::portsNameOnlyDomainPortsAndContracts, VIOLATING_CLASSES, VIOLATING));
        assertThat(failures)
                .contains(VIOLATING + ".application.BillingCommand")
                .contains("com.fasterxml.jackson.databind.ObjectMapper");
        // the clean fixture's command names JsonNode, ObjectNode and a contracts record: allowed
        assertThat(failures(DevloopArchitecture::portsNameOnlyDomainPortsAndContracts, CLEAN_CLASSES, CLEAN))
                .isEmpty();
    }

    @Test
    void anInboundAdapterThatUsesAnOutboundAdapterFails() {
        String failures =
                String.join("\n", failures(DevloopArchitecture::adapterKindsAreApart, VIOLATING_CLASSES, VIOLATING));
        assertThat(failures)
                .contains(VIOLATING + ".adapters.in.web.InvoiceResource")
                .contains(VIOLATING + ".adapters.out.db.InvoiceTable");
    }

    @Test
    void aCycleBetweenApplicationAndPortsFails() {
        String failures = String.join(
                "\n", failures(DevloopArchitecture::topLevelSlicesAreFreeOfCycles, VIOLATING_CLASSES, VIOLATING));
        assertThat(failures).contains("application").contains("ports").contains("Cycle");
    }

    @Test
    void aResourceThatReadsTheTenantHeaderOrRevalidatesItFails() {
        String failures = String.join(
                "\n", failures(DevloopArchitecture::tenantComesFromTheCaller, VIOLATING_CLASSES, VIOLATING));
        assertThat(failures)
                .contains("TenantHeaderResource.invoices(java.lang.String) reads X-Devloop-Tenant")
                .contains("TenantHeaderResource.invoices(java.lang.String) calls Tenants.require");
        assertThat(failures(DevloopArchitecture::tenantComesFromTheCaller, CLEAN_CLASSES, CLEAN))
                .isEmpty();
    }

    @Test
    void checkReportsEveryRuleAtOnce() {
        assertThatThrownBy(() -> DevloopArchitecture.check(VIOLATING_CLASSES, VIOLATING))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("[domain is plain Java")
                .hasMessageContaining("[application depends on no adapter")
                .hasMessageContaining("[ports depend only on")
                .hasMessageContaining("[adapters of one kind")
                .hasMessageContaining("[no cycles between")
                .hasMessageContaining("[the tenant comes from the verified caller");
    }

    @Test
    void theBasePackageMustBeAPackageName() {
        assertThatThrownBy(() -> DevloopArchitecture.rules("dev.devloop.tools.."))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DevloopArchitecture.rules(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
