package dev.devloop.agent.ports.out;

import dev.devloop.agent.domain.Proposal;

/**
 * Outgoing port announcing proposals on {@code devloop.agent.lifecycle}
 * ({@code dev.devloop.agent.approval.requested} / {@code .decided}) and counting decisions.
 */
public interface ApprovalEventsPort {
    ApprovalEventsPort NONE = new ApprovalEventsPort() {
        @Override
        public void requested(Proposal proposal) {}

        @Override
        public void decided(Proposal proposal) {}
    };

    void requested(Proposal proposal);

    void decided(Proposal proposal);
}
