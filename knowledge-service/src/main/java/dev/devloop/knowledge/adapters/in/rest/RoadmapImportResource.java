package dev.devloop.knowledge.adapters.in.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.devloop.contracts.identity.Caller;
import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.knowledge.config.KnowledgeConfig;
import dev.devloop.knowledge.domain.roadmap.ImportResult;
import dev.devloop.knowledge.ports.in.ImportRoadmapUseCase;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * {@code POST /roadmap/import}: a roadmap document as JSON or YAML (at most {@code max-import-bytes}), parsed
 * here into plain values and handed whole to the import use case.
 */
@Tag(name = "Roadmap", description = "The roadmap graph: nodes, dependencies, roll-up and order")
@Path("/roadmap/import")
public class RoadmapImportResource {
    private static final TypeReference<Map<String, Object>> DOCUMENT = new TypeReference<>() {};

    /** What an import did. */
    @RegisterForReflection
    public record ImportView(int created, int updated, int unchanged, int dependencies) {}

    private final ImportRoadmapUseCase imports;
    private final ObjectMapper json;
    private final ObjectMapper yaml;
    private final int maxBytes;

    private final Caller caller;

    public RoadmapImportResource(
            Caller caller, ImportRoadmapUseCase imports, ObjectMapper json, KnowledgeConfig config) {
        this.caller = caller;
        this.imports = imports;
        this.json = json;
        this.maxBytes = config.roadmap().maxImportBytes();
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(maxBytes + 1); // SnakeYAML refuses documents over 3 MB by default
        options.setMaxAliasesForCollections(50);
        this.yaml = new YAMLMapper(YAMLFactory.builder().loaderOptions(options).build());
    }

    @POST
    @Consumes({MediaType.APPLICATION_JSON, "application/yaml", "text/yaml"})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Import a roadmap document (JSON or YAML) in one transaction")
    @APIResponse(responseCode = "200", description = "What the import created, updated and left unchanged")
    @APIResponse(
            responseCode = "409",
            description = "It collides with the roadmap's state (an existing id, a cycle, a transition, children)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "413",
            description = "The body is larger than accepted",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ImportView importRoadmap(
            @HeaderParam("Content-Type") String contentType,
            @RequestBody(
                            content = {
                                @Content(
                                        mediaType = MediaType.APPLICATION_JSON,
                                        schema = @Schema(implementation = RoadmapBodies.Document.class)),
                                @Content(
                                        mediaType = "application/yaml",
                                        schema = @Schema(implementation = RoadmapBodies.Document.class)),
                                @Content(
                                        mediaType = "text/yaml",
                                        schema = @Schema(implementation = RoadmapBodies.Document.class))
                            })
                    byte[] body) {
        String tenant = caller.tenant();
        if (body == null || body.length == 0) {
            throw ProblemException.badRequest("body", "a roadmap document is required");
        }
        if (body.length > maxBytes) {
            throw new ProblemException(new Problem(
                    Problem.TYPE_BASE + "payload-too-large",
                    "Payload too large",
                    413,
                    "An import is at most " + maxBytes + " bytes.",
                    null,
                    "body",
                    null));
        }
        boolean isYaml = contentType != null && contentType.toLowerCase().contains("yaml");
        Map<String, Object> document;
        try {
            document = (isYaml ? yaml : json).readValue(body, DOCUMENT);
        } catch (JsonProcessingException e) {
            throw new ProblemException(new Problem(
                    Problem.TYPE_BASE + "malformed-body",
                    "Malformed request body",
                    400,
                    "Malformed " + (isYaml ? "YAML" : "JSON") + " document: " + e.getOriginalMessage(),
                    null,
                    "body",
                    null));
        } catch (IOException | RuntimeException e) {
            throw new ProblemException(new Problem(
                    Problem.TYPE_BASE + "malformed-body",
                    "Malformed request body",
                    400,
                    "Unreadable " + (isYaml ? "YAML" : "JSON") + " document: " + e.getMessage(),
                    null,
                    "body",
                    null));
        }
        if (document == null) {
            throw ProblemException.badRequest("body", "a roadmap document is required");
        }
        ImportResult r = imports.importRoadmap(tenant, document);
        return new ImportView(r.created(), r.updated(), r.unchanged(), r.dependencies());
    }
}
