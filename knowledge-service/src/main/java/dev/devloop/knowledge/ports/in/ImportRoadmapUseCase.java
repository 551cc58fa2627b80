package dev.devloop.knowledge.ports.in;

import dev.devloop.knowledge.domain.roadmap.ImportResult;
import java.util.Map;

/** Bulk import of a nested roadmap document (docs/roadmap.md), validated whole, applied in one transaction. */
public interface ImportRoadmapUseCase {
    ImportResult importRoadmap(String tenant, Map<String, Object> document);
}
