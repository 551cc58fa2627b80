package dev.devloop.knowledge.ports.in;

/** Incoming port: remove a fact from every tier; 404 when no tier held it. */
public interface DeleteFactUseCase {
    void delete(String tenant, String entity, String attribute);
}
