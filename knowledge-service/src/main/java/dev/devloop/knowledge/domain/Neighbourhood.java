package dev.devloop.knowledge.domain;

import java.util.List;

/** The entities within some hops of a centre entity and the relationships on those paths. */
public record Neighbourhood(String centre, int depth, List<Neighbour> entities, List<Relationship> relationships) {

    /** An entity of the neighbourhood and its distance in hops from the centre. */
    public record Neighbour(String id, String type, int distance) {}
}
