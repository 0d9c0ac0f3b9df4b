package io.ha4j.heartbeat;

/**
 * A snapshot of an election's freshness proofs (package documentation, "Freshness"). Failed
 * proofs are dropped datagrams: {@link DropReason#UNPROVEN} and {@link DropReason#BAD_PROOF}.
 *
 * @param challengesSent challenges sent to senders of an incarnation not proven here
 * @param responsesSent challenges of others answered
 * @param proven incarnations proven fresh by a response to one of our challenges
 */
public record ProofStats(long challengesSent, long responsesSent, long proven) {}
