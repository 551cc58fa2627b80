package dev.devloop.archrules;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAnnotation;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.domain.JavaParameter;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The one set of architecture rules every Devloop service applies to its production classes (see
 * docs/service-conventions.md). {@code basePackage} is the service's root package, e.g. {@code dev.devloop.tools};
 * the rules look at {@code <base>.domain}, {@code .application}, {@code .ports}, {@code .adapters.(in|out).<kind>}
 * and {@code .config}.
 */
public final class DevloopArchitecture {

    /**
     * The JDK packages outside {@code java.*} the domain may use: cryptography (HMAC signatures are domain rules) and
     * the security and TLS types next to it. Everything else under {@code javax.*} is a framework API.
     */
    public static final List<String> JDK_EXTRAS = List.of("javax.crypto..", "javax.security..", "javax.net..");

    /** Frameworks the domain must not see; it is plain Java (the allow-list rule below is what enforces it). */
    public static final List<String> FRAMEWORKS = List.of(
            "com.fasterxml.jackson..",
            "io.quarkus..",
            "io.smallrye..",
            "io.vertx..",
            "jakarta..",
            "javax..",
            "org.eclipse.microprofile..",
            "io.micrometer..",
            "org.jboss..");

    /**
     * HTTP types the application layer must not use: JAX-RS, Vert.x HTTP, RESTEasy, and contracts' problem+json
     * ({@code ProblemException} carries an HTTP status) — use-case refusals are mapped to problem+json at the adapter
     * edge.
     */
    public static final List<String> HTTP_TYPES = List.of(
            "jakarta.ws.rs..",
            "javax.ws.rs..",
            "io.vertx.core.http..",
            "io.vertx.ext.web..",
            "io.quarkus.vertx.http..",
            "org.jboss.resteasy..",
            "dev.devloop.contracts.problem..");

    /**
     * The shared wire records ports may name, minus the problem+json package. Free-form JSON values (tool arguments
     * and outputs, schemas, event payloads) are Jackson's tree model: {@code JsonNode} and the {@code node} package,
     * the type the contracts records themselves carry. Nothing else of Jackson (no {@code ObjectMapper}, no
     * annotations) and no framework type (no Mutiny, no Vert.x, no CDI) belongs in a port.
     */
    static final String CONTRACTS = "dev.devloop.contracts..";

    static final String CONTRACTS_PROBLEM = "dev.devloop.contracts.problem..";
    /** The one type of {@link #CONTRACTS_PROBLEM} the core may use: the use cases' refusal, mapped by adapters. */
    static final String REFUSAL = "dev.devloop.contracts.problem.Refusal";

    static final List<String> JSON_TREE =
            List.of("com.fasterxml.jackson.databind.JsonNode", "com.fasterxml.jackson.databind.node..");

    /** Imports are immutable; a service's architecture tests share one per JVM instead of importing per test. */
    private static final Map<String, JavaClasses> IMPORTED = new ConcurrentHashMap<>();

    private DevloopArchitecture() {}

    /** The production classes of {@code basePackage} on the class path (test classes and jars excluded). */
    public static JavaClasses importProduction(String basePackage) {
        return IMPORTED.computeIfAbsent(basePackage, base -> new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages(base));
    }

    /** Every rule, in the order docs/service-conventions.md lists them. */
    public static List<ArchRule> rules(String basePackage) {
        return List.of(
                domainIsPlainJava(basePackage),
                applicationHasNoAdapterOrHttpType(basePackage),
                portsNameOnlyDomainPortsAndContracts(basePackage),
                adapterKindsAreApart(basePackage),
                topLevelSlicesAreFreeOfCycles(basePackage),
                tenantComesFromTheCaller(basePackage));
    }

    /**
     * {@code domain} depends on the JDK ({@code java.*} and {@link #JDK_EXTRAS}) and itself only: no framework, no
     * other layer, no contracts.
     */
    public static ArchRule domainIsPlainJava(String basePackage) {
        String base = checked(basePackage);
        List<String> allowed = new ArrayList<>(List.of("java..", base + ".domain.."));
        allowed.addAll(JDK_EXTRAS);
        return classes()
                .that()
                .resideInAPackage(base + ".domain..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(allowed.toArray(String[]::new))
                .as("domain is plain Java: it depends on java.* and " + base + ".domain only")
                .because("the domain is the part that outlives frameworks (no Jackson, Quarkus, Mutiny, Jakarta,"
                        + " Vert.x, MicroProfile, SmallRye, Micrometer, JBoss)")
                .allowEmptyShould(true);
    }

    /** {@code application} depends on no adapter, no config wiring and no HTTP type. */
    public static ArchRule applicationHasNoAdapterOrHttpType(String basePackage) {
        String base = checked(basePackage);
        List<String> forbidden = new ArrayList<>(HTTP_TYPES);
        forbidden.add(base + ".adapters..");
        forbidden.add(base + ".config..");
        return noClasses()
                .that()
                .resideInAPackage(base + ".application..")
                .should()
                .dependOnClassesThat(JavaClass.Predicates.resideInAnyPackage(forbidden.toArray(String[]::new))
                        .and(DescribedPredicate.not(PortDependencies.REFUSAL)))
                .as("application depends on no adapter, no config and no HTTP type (contracts' Refusal is no HTTP"
                        + " type)")
                .because("use cases speak through ports and refuse with their own exceptions, which adapters map to"
                        + " problem+json")
                .allowEmptyShould(true);
    }

    /**
     * {@code ports} name only {@code java.*}, {@code domain}, {@code ports}, the contracts wire records (not the
     * problem+json package) and Jackson's JSON tree model.
     */
    public static ArchRule portsNameOnlyDomainPortsAndContracts(String basePackage) {
        String base = checked(basePackage);
        return classes()
                .that()
                .resideInAPackage(base + ".ports..")
                .should()
                .onlyDependOnClassesThat(PortDependencies.allowed(base))
                .as("ports depend only on java.*, " + base + ".domain, " + base + ".ports, contracts records"
                        + " (not contracts.problem) and Jackson's JsonNode tree")
                .because("a port is the narrow contract between the core and one adapter")
                .allowEmptyShould(true);
    }

    /** Adapters of one kind ({@code adapters.in.rest}, {@code adapters.out.mongo}, ...) do not use each other. */
    public static ArchRule adapterKindsAreApart(String basePackage) {
        String base = checked(basePackage);
        return slices().matching(base + ".adapters.(*).(*)..")
                .namingSlices("adapters.$1.$2")
                .should()
                .notDependOnEachOther()
                .as("adapters of one kind do not depend on adapters of another kind")
                .because("adapters meet only through the ports the application defines")
                .allowEmptyShould(true);
    }

    /**
     * No cycles between {@code domain}, {@code application}, {@code ports}, {@code adapters} and {@code config}. One
     * dependency is not counted: adapters reading the service's typed configuration ({@code config}'s
     * {@code @ConfigMapping} interfaces) — {@code config} is also the composition root that wires the adapters, and
     * no other layer may depend on it (the domain, application and ports rules forbid that).
     */
    public static ArchRule topLevelSlicesAreFreeOfCycles(String basePackage) {
        String base = checked(basePackage);
        return slices().matching(base + ".(*)..")
                .namingSlices("$1")
                .should()
                .beFreeOfCycles()
                .ignoreDependency(
                        JavaClass.Predicates.resideInAPackage(base + ".adapters.."),
                        JavaClass.Predicates.resideInAPackage(base + ".config.."))
                .as("no cycles between the top-level packages of " + base + " (adapters may read config)")
                .allowEmptyShould(true);
    }

    /** The header the inbound identity filter sets from the verified token; resources never read it themselves. */
    static final String TENANT_HEADER = "X-Devloop-Tenant";

    static final String REST_CLIENT = "org.eclipse.microprofile.rest.client.inject.RegisterRestClient";

    /**
     * The tenant comes from the verified caller ({@code contracts.identity.Caller}), resolved once per request by
     * the identity filter: no method takes {@code X-Devloop-Tenant} as a {@code @HeaderParam}/{@code @RestHeader}
     * (REST client interfaces excepted: they send the caller's tenant on), and nothing re-validates a header with
     * {@code Tenants.require}.
     */
    public static ArchRule tenantComesFromTheCaller(String basePackage) {
        String base = checked(basePackage);
        return noMethods()
                .that()
                .areDeclaredInClassesThat()
                .resideInAPackage(base + "..")
                .should(new ArchCondition<JavaMethod>("read the " + TENANT_HEADER + " header or call Tenants.require") {
                    @Override
                    public void check(JavaMethod method, ConditionEvents events) {
                        // a REST client interface sends the header to a sibling: that is the caller's tenant going out
                        boolean restClient = method.getOwner().isAnnotatedWith(REST_CLIENT);
                        for (JavaParameter parameter : restClient ? List.<JavaParameter>of() : method.getParameters()) {
                            for (JavaAnnotation<JavaParameter> annotation : parameter.getAnnotations()) {
                                String type = annotation.getRawType().getName();
                                boolean header = type.equals("jakarta.ws.rs.HeaderParam")
                                        || type.equals("org.jboss.resteasy.reactive.RestHeader");
                                if (header
                                        && TENANT_HEADER.equalsIgnoreCase(String.valueOf(
                                                annotation.get("value").orElse("")))) {
                                    events.add(SimpleConditionEvent.satisfied(
                                            method, method.getFullName() + " reads " + TENANT_HEADER));
                                }
                            }
                        }
                        for (JavaMethodCall call : method.getMethodCallsFromSelf()) {
                            if (call.getTargetOwner().getName().equals("dev.devloop.contracts.Tenants")
                                    && call.getName().equals("require")) {
                                events.add(SimpleConditionEvent.satisfied(
                                        method, method.getFullName() + " calls Tenants.require"));
                            }
                        }
                    }
                })
                .as("the tenant comes from the verified caller, never from a header a resource reads")
                .because("tenant resolution happens once, in the identity filter; a resource cannot bypass it")
                .allowEmptyShould(true);
    }

    /** Evaluates every rule and returns one line per violation, {@code [rule] detail}; empty when all hold. */
    public static List<String> violations(JavaClasses classes, String basePackage) {
        List<String> lines = new ArrayList<>();
        for (ArchRule rule : rules(basePackage)) {
            EvaluationResult result = rule.evaluate(classes);
            for (String detail : result.getFailureReport().getDetails()) {
                lines.add("[" + rule.getDescription() + "] " + detail);
            }
        }
        return lines;
    }

    /** Imports {@code basePackage}'s production classes and fails with every violation of every rule. */
    public static void check(String basePackage) {
        check(importProduction(basePackage), basePackage);
    }

    /** Fails with every violation of every rule (not only the first rule's). */
    public static void check(JavaClasses classes, String basePackage) {
        List<String> lines = violations(classes, basePackage);
        if (!lines.isEmpty()) {
            throw new AssertionError(
                    lines.size() + " architecture violation(s) in " + basePackage + ":\n" + String.join("\n", lines));
        }
    }

    private static final Pattern PACKAGE = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");

    private static String checked(String basePackage) {
        if (basePackage == null || !PACKAGE.matcher(basePackage).matches()) {
            throw new IllegalArgumentException("basePackage must be a Java package name, e.g. dev.devloop.tools");
        }
        return basePackage;
    }
}
