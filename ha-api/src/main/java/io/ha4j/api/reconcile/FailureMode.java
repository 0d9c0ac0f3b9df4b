package io.ha4j.api.reconcile;

/** What happens to a real server in the table while it is down. */
public enum FailureMode {
  /**
   * Keep it with weight 0: no new connections, established ones continue (ldirectord
   * {@code quiescent = yes}, keepalived {@code inhibit_on_failure}).
   */
  QUIESCE,
  /**
   * Take it out of the table (ldirectord {@code quiescent = no}, keepalived's default). The kernel
   * keeps its connections until they expire, but they can no longer be forwarded once the server
   * is gone unless {@code expire_nodest_conn} is off.
   */
  REMOVE
}
