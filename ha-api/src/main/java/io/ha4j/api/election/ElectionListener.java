package io.ha4j.api.election;

/** Receives what an {@link Election} decides. Called on the election's scheduler thread. */
public interface ElectionListener {

  /** The member's role changed. */
  void onRoleChange(RoleChange change);

  /**
   * The master should announce its virtual addresses again, for example after it heard another
   * master (a healed split brain leaves stale ARP caches behind).
   */
  default void onReannounce(String reason) {}
}
