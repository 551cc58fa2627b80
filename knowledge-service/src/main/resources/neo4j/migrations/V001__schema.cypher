// V001: the constraints and indexes knowledge-service created at every start before versioned migrations.
// Every node carries its tenant; the keys below are unique per tenant. IF NOT EXISTS keeps this safe on a
// database that already has them (every store created before migrations existed).
CREATE CONSTRAINT devloop_fact_key IF NOT EXISTS FOR (f:Fact) REQUIRE (f.tenant, f.entity, f.attribute) IS UNIQUE;
CREATE CONSTRAINT devloop_entity_key IF NOT EXISTS FOR (e:Entity) REQUIRE (e.tenant, e.id) IS UNIQUE;
CREATE CONSTRAINT devloop_agent_key IF NOT EXISTS FOR (a:Agent) REQUIRE (a.tenant, a.id) IS UNIQUE;
CREATE INDEX devloop_fact_expires IF NOT EXISTS FOR (f:Fact) ON (f.expiresAt);
CREATE INDEX devloop_entity_type IF NOT EXISTS FOR (e:Entity) ON (e.tenant, e.type);
CREATE CONSTRAINT devloop_document_key IF NOT EXISTS FOR (d:Document) REQUIRE (d.tenant, d.id) IS UNIQUE;
CREATE INDEX devloop_chunk_tenant IF NOT EXISTS FOR (c:Chunk) ON (c.tenant);
CREATE INDEX devloop_chunk_document IF NOT EXISTS FOR (c:Chunk) ON (c.tenant, c.documentId);
CREATE FULLTEXT INDEX devloop_chunk_fulltext IF NOT EXISTS FOR (c:Chunk) ON EACH [c.text, c.tenantToken];
// the roadmap graph: nodes unique per tenant, a lock node per tenant, the event outbox in write order
CREATE CONSTRAINT devloop_roadmap_node_key IF NOT EXISTS FOR (n:RoadmapNode) REQUIRE (n.tenant, n.id) IS UNIQUE;
CREATE INDEX devloop_roadmap_node_tenant IF NOT EXISTS FOR (n:RoadmapNode) ON (n.tenant);
CREATE INDEX devloop_roadmap_task_tenant IF NOT EXISTS FOR (n:Task) ON (n.tenant);
CREATE INDEX devloop_roadmap_feature_tenant IF NOT EXISTS FOR (n:Feature) ON (n.tenant);
CREATE CONSTRAINT devloop_roadmap_lock_key IF NOT EXISTS FOR (l:RoadmapLock) REQUIRE l.tenant IS UNIQUE;
CREATE CONSTRAINT devloop_roadmap_outbox_key IF NOT EXISTS FOR (o:RoadmapOutbox) REQUIRE o.id IS UNIQUE;
CREATE INDEX devloop_roadmap_outbox_order IF NOT EXISTS FOR (o:RoadmapOutbox) ON (o.createdAt);
