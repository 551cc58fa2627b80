// A migration that fails halfway: the first statement would create a node, the second divides by zero.
CREATE (:MigrationProbe {id: 'half-done'});
MATCH (p:MigrationProbe {id: 'half-done'}) RETURN 1 / 0 AS boom;
