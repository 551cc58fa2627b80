package dev.devloop.agent.ports.out;

import dev.devloop.agent.domain.Proposal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Outgoing persistence port for approval proposals; every call but the pending count is scoped to one tenant. */
public interface ProposalRepositoryPort {
  /** Stores a new proposal; false when one with its id exists (a resumed run proposing again). */
  boolean insertIfAbsent(Proposal proposal);

  Optional<Proposal> find(String tenant, String id);

  /** The tenant's proposals matching every non-null criterion, newest first, at most {@code limit}. */
  List<Proposal> list(String tenant, Proposal.Status status, String runId, int limit);

  /**
   * Decides a PENDING proposal atomically (compare-and-set on its status) and returns it as decided;
   * empty when it is not pending (already decided) or the tenant has no such proposal.
   */
  Optional<Proposal> decide(String tenant, String id, Proposal.Status decision, String decidedBy, String note,
      String reason, Instant at);

  /** Pending proposals across tenants (a gauge). */
  long countPending();
}
