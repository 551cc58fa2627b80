package dev.devloop.archrules;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.PackageMatchers;

/** What a port may name: see {@link DevloopArchitecture#portsNameOnlyDomainPortsAndContracts(String)}. */
final class PortDependencies {

    private PortDependencies() {}

    /** contracts' use-case refusal: plain Java with no HTTP type, so the core may throw it (adapters map it). */
    static final DescribedPredicate<JavaClass> REFUSAL = DescribedPredicate.describe(
            "contracts' Refusal",
            c -> c.getName().equals(DevloopArchitecture.REFUSAL)
                    || c.getName().startsWith(DevloopArchitecture.REFUSAL + "$"));

    static DescribedPredicate<JavaClass> allowed(String base) {
        DescribedPredicate<JavaClass> own = resideInAnyPackage("java..", base + ".domain..", base + ".ports..");
        DescribedPredicate<JavaClass> contractsRecords = resideInAnyPackage(DevloopArchitecture.CONTRACTS)
                .and(DescribedPredicate.not(resideInAnyPackage(DevloopArchitecture.CONTRACTS_PROBLEM)));
        PackageMatchers jsonTreePackages = PackageMatchers.of(DevloopArchitecture.JSON_TREE.get(1));
        DescribedPredicate<JavaClass> jsonTree = DescribedPredicate.describe(
                "Jackson's JsonNode tree",
                c -> c.getName().equals(DevloopArchitecture.JSON_TREE.get(0))
                        || jsonTreePackages.test(c.getPackageName()));
        return own.or(contractsRecords)
                .or(REFUSAL)
                .or(jsonTree)
                .as("java.*, " + base + ".domain, " + base + ".ports, contracts records or Jackson's JsonNode tree");
    }
}
