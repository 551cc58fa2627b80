package dev.devloop.agent.domain;

/** The rules of the agent tree: who may spawn whom, and how many. */
public final class Hierarchy {

    /**
     * Checks that {@code parent} (of definition {@code parentDefinition}) may spawn an agent of
     * {@code child} while it already has {@code activeChildren} live children.
     */
    public static void checkSpawn(
            Agent parent, AgentDefinition parentDefinition, AgentDefinition child, int activeChildren) {
        if (parent.status() == AgentStatus.RETIRED || parent.status() == AgentStatus.FAILED) {
            throw new HierarchyViolation("parent-inactive", "parent " + parent.id() + " is " + parent.status());
        }
        if (!parentDefinition.allowedChildTypes().contains(child.type())) {
            throw new HierarchyViolation(
                    "allowed-child-types",
                    parent.type() + " may not spawn " + child.type() + " (allowed: "
                            + parentDefinition.allowedChildTypes() + ")");
        }
        if (rank(child.level()) <= rank(parent.level())) {
            throw new HierarchyViolation(
                    "level-order", "a " + parent.level() + " agent cannot spawn a " + child.level() + " agent");
        }
        if (activeChildren >= parentDefinition.limits().maxChildren()) {
            throw new HierarchyViolation(
                    "max-children",
                    parent.type() + " already has " + activeChildren + " live children (limit "
                            + parentDefinition.limits().maxChildren() + ")");
        }
    }

    private static int rank(AgentLevel level) {
        return switch (level) {
            case PARENT -> 0;
            case CHILD -> 1;
            case MICRO -> 2;
        };
    }

    private Hierarchy() {}
}
