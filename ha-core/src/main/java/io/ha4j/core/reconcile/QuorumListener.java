package io.ha4j.core.reconcile;

/**
 * Told when a virtual service gains or loses quorum, where keepalived runs its {@code quorum_up}
 * and {@code quorum_down} scripts. Called on the thread that runs {@link Reconciler#reconcile},
 * after the table was changed.
 */
@FunctionalInterface
public interface QuorumListener {

  void quorumChanged(QuorumChange change);

  /** A listener that ignores every change. */
  static QuorumListener ignore() {
    return change -> {};
  }
}
