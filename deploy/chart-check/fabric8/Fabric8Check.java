import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict check of rendered Helm output against the fabric8 Kubernetes model (the version the Quarkus BOM
 * pins). fabric8 is lenient by design: unknown fields, and values of the wrong type, land in each object's
 * {@code additionalProperties}. So every document is parsed with scalar coercion off, then the whole object
 * graph is walked and any non-empty {@code additionalProperties} is an error naming its path. Unknown kinds
 * (which fabric8 would read as GenericKubernetesResource) are errors too.
 *
 * Run by deploy/lib/chart.sh: {@code java -cp 'lib/*' Fabric8Check.java rendered.yaml...}; exit 1 on any error.
 * Reflection is fine here: this is a build-time tool, not service code.
 */
public final class Fabric8Check {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static int certManagerLeft;

  public static void main(String[] args) throws Exception {
    KubernetesSerialization serialization = new KubernetesSerialization(strictMapper(), true);
    int documents = 0;
    List<String> errors = new ArrayList<>();
    for (String file : args) {
      String name = Path.of(file).getFileName().toString();
      try (var parser = YAML.getFactory().createParser(Files.readString(Path.of(file)))) {
        var values = YAML.readValues(parser, JsonNode.class);
        while (values.hasNext()) {
          JsonNode doc = values.next();
          if (doc == null || doc.isNull() || doc.isEmpty()) {
            continue;
          }
          documents++;
          String where = name + ": " + doc.path("kind").asText("?") + "/" + doc.path("metadata").path("name").asText("?");
          errors.addAll(check(serialization, doc, where));
        }
      }
    }
    if (!errors.isEmpty()) {
      errors.forEach(e -> System.err.println("fabric8: " + e));
      System.err.println("fabric8: " + errors.size() + " problem(s) in " + documents + " documents");
      System.exit(1);
    }
    System.out.println("fabric8 7.5.2 strict: " + (documents - certManagerLeft) + " documents valid"
        + (certManagerLeft > 0 ? ", " + certManagerLeft + " cert-manager documents left to kubernetes-models" : ""));
  }

  /** No "8080" for 8080 nor "true" for true: the API server's typed decoding would refuse those too. */
  private static ObjectMapper strictMapper() {
    ObjectMapper mapper = JsonMapper.builder().disable(MapperFeature.ALLOW_COERCION_OF_SCALARS).build();
    for (LogicalType type : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
      mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    }
    return mapper;
  }

  static List<String> check(KubernetesSerialization serialization, JsonNode doc, String where) {
    List<String> errors = new ArrayList<>();
    String apiVersion = doc.path("apiVersion").asText("");
    String kind = doc.path("kind").asText("");
    if (apiVersion.isEmpty() || kind.isEmpty()) {
      errors.add(where + ": apiVersion and kind are required");
      return errors;
    }
    if (apiVersion.startsWith("cert-manager.io/")) {
      // fabric8 7.5.2 ships no cert-manager model; validate.mjs checks these (@kubernetes-models/cert-manager)
      certManagerLeft++;
      return errors;
    }
    Class<? extends KubernetesResource> type = serialization.getRegisteredKubernetesResource(apiVersion, kind);
    if (type == null || type == GenericKubernetesResource.class) {
      errors.add(where + ": unknown kind " + kind + " in " + apiVersion);
      return errors;
    }
    try {
      Object resource = serialization.convertValue(doc, type);
      walk(resource, "", errors, where, new IdentityHashMap<>());
      compare(doc, YAML.readTree(serialization.asJson(resource)), "", errors, where);
    } catch (RuntimeException | java.io.IOException e) {
      errors.add(where + ": " + rootMessage(e));
    }
    return errors;
  }

  private static void walk(Object node, String path, List<String> errors, String where, Map<Object, Boolean> seen) {
    if (node == null || seen.put(node, Boolean.TRUE) != null) {
      return;
    }
    if (node instanceof Collection<?> list) {
      int i = 0;
      for (Object item : list) {
        walk(item, path + "[" + i++ + "]", errors, where, seen);
      }
      return;
    }
    if (node instanceof Map<?, ?> map) {
      map.forEach((k, v) -> walk(v, path + "." + k, errors, where, seen));
      return;
    }
    if (!node.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Method getter : node.getClass().getMethods()) {
      if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
          || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
        continue;
      }
      Object value;
      try {
        value = getter.invoke(node);
      } catch (ReflectiveOperationException e) {
        continue;
      }
      if (getter.getName().equals("getAdditionalProperties")) {
        if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
          for (var entry : extra.entrySet()) {
            errors.add(where + ": " + (path.isEmpty() ? "" : path.substring(1) + ".") + entry.getKey()
                + ": unknown field or wrong type (value " + entry.getValue() + ")");
          }
        }
        continue;
      }
      walk(value, path + "." + property(getter.getName()), errors, where, seen);
    }
  }

  /** A string the model read as a number or boolean is a type error the API server would refuse. */
  private static void compare(JsonNode given, JsonNode parsed, String path, List<String> errors, String where) {
    if (given.isObject()) {
      given.properties().forEach(f -> {
        JsonNode back = parsed.path(f.getKey());
        if (!back.isMissingNode()) {
          compare(f.getValue(), back, path + "." + f.getKey(), errors, where);
        }
      });
    } else if (given.isArray()) {
      for (int i = 0; i < given.size() && i < parsed.size(); i++) {
        compare(given.get(i), parsed.get(i), path + "[" + i + "]", errors, where);
      }
    } else if (given.isTextual() && (parsed.isNumber() || parsed.isBoolean())) {
      errors.add(where + ": " + path.substring(1) + ": wrong type: string \"" + given.asText() + "\" where "
          + (parsed.isNumber() ? "a number" : "a boolean") + " is required");
    }
  }

  private static String property(String getter) {
    return Character.toLowerCase(getter.charAt(3)) + getter.substring(4);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    String message = String.valueOf(root.getMessage());
    int at = message.indexOf(" at [Source");
    return (at > 0 ? message.substring(0, at) : message).replace('\n', ' ');
  }
}
