package dev.devloop.knowledge.domain;

import java.util.List;

/** One keyset page of a list: its items and the key that continues it ({@code null} on the last page). */
public record ListPage<T>(List<T> items, String nextAfter) {
    public ListPage {
        items = List.copyOf(items);
    }
}
