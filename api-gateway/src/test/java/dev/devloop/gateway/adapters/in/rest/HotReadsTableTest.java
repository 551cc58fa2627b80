package dev.devloop.gateway.adapters.in.rest;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each row of the hot-read table says what its JAX-RS method says: the same public path, roles, query parameter
 * names and path placeholders — so the fast route refuses and accepts exactly what {@code @RolesAllowed} and the
 * bound parameters do.
 */
class HotReadsTableTest {
    private static final List<Class<?>> RESOURCES = List.of(
            AgentAdminRoutesResource.class,
            ApprovalRoutesResource.class,
            ToolRoutesResource.class,
            ProviderRoutesResource.class,
            RoadmapRoutesResource.class,
            KnowledgeRoutesResource.class,
            AgentRoutesResource.class);

    private static Method jaxRsMethod(String template) {
        Method found = null;
        for (Class<?> resource : RESOURCES) {
            String base = resource.getAnnotation(Path.class).value();
            for (Method method : resource.getDeclaredMethods()) {
                Path path = method.getAnnotation(Path.class);
                if (method.isAnnotationPresent(GET.class)
                        && (base + (path == null ? "" : path.value())).equals(template)) {
                    assertThat(found).as("one GET method for %s", template).isNull();
                    found = method;
                }
            }
        }
        assertThat(found).as("a JAX-RS GET method for %s", template).isNotNull();
        return found;
    }

    @ParameterizedTest
    @EnumSource(HotReads.class)
    void aRowMatchesItsJaxRsMethod(HotReads row) {
        Method method = jaxRsMethod(row.template());
        assertThat(Set.of(method.getAnnotation(RolesAllowed.class).value()))
                .as("roles of %s", row)
                .isEqualTo(row.roles());
        Set<String> query = new HashSet<>();
        Set<String> placeholders = new HashSet<>();
        for (Parameter parameter : method.getParameters()) {
            if (parameter.isAnnotationPresent(QueryParam.class)) {
                query.add(parameter.getAnnotation(QueryParam.class).value());
            }
            if (parameter.isAnnotationPresent(PathParam.class)) {
                placeholders.add(parameter.getAnnotation(PathParam.class).value());
            }
        }
        assertThat(query).as("query parameters of %s", row).isEqualTo(row.queryNames());
        Set<String> inTemplate = new HashSet<>();
        Matcher m = Pattern.compile("\\{([A-Za-z]+)}").matcher(row.template());
        while (m.find()) {
            inTemplate.add(m.group(1));
        }
        assertThat(placeholders).as("path values of %s", row).isEqualTo(inTemplate);
        assertThat(row.vertxPath()).doesNotContain("{");
        assertThat(row.route()).isEqualTo("GET " + row.template());
    }
}
