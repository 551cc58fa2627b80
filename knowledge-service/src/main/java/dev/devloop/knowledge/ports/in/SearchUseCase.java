package dev.devloop.knowledge.ports.in;

import dev.devloop.knowledge.domain.SearchHit;
import java.util.List;

/** Incoming port of chunk search by vector, keyword or both. */
public interface SearchUseCase {
    List<SearchHit> search(SearchCommand command);
}
