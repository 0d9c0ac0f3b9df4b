package io.ha4j.api;

/** The role of a member in its election group, with the meanings of RFC 5798 section 6.4. */
public enum Role {
  /** Not started yet, or stopped. Owns nothing. */
  INIT,
  /** Watching a master; ready to take over when it goes silent. Owns no virtual address. */
  BACKUP,
  /** Owns the virtual addresses and answers for the group. */
  MASTER,
  /**
   * Cannot serve: a tracked interface is down or a tracked check with weight 0 failed. Owns
   * nothing and does not take part in the election until the fault clears.
   */
  FAULT
}
