package io.ha4j.heartbeat;

/**
 * What the events of RFC 5798 section 6.4 do in one state of an election: a Shutdown event, a
 * received ADVERTISEMENT, the expiry of the state's timer (keepalived's per-state handlers).
 * Called under the election's lock; {@link VrrpElection} holds the table of states.
 */
interface ElectionState {

  /** INIT and FAULT: no timer runs, and advertisements change nothing. */
  ElectionState IDLE = new ElectionState() {
    @Override
    public void shutdown() {}

    @Override
    public void received(Advertisement ad, long queuedNanos) {}

    @Override
    public void timerExpired(long lateNanos) {}
  };

  /** "If a Shutdown event is received": what to undo before the transition to Initialize. */
  void shutdown();

  /**
   * "If an ADVERTISEMENT is received", {@code queuedNanos} after it arrived (it waited in a queue
   * that long).
   */
  void received(Advertisement ad, long queuedNanos);

  /** The state's timer expired, {@code lateNanos} after its deadline. */
  void timerExpired(long lateNanos);
}
