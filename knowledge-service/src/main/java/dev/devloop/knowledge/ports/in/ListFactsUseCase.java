package dev.devloop.knowledge.ports.in;

import dev.devloop.knowledge.domain.StoredFact;
import java.util.List;

/** Incoming port: every unexpired fact of one entity across the three tiers, one per attribute. */
public interface ListFactsUseCase {
    List<StoredFact> list(String tenant, String entity);
}
