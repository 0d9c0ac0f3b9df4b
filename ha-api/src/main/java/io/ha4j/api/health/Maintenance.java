package io.ha4j.api.health;

/** An operator's override of a target, set at runtime; it wins over the checks. */
public enum Maintenance {
  /** No override: the checks decide. */
  NONE,
  /** Drain: keep the real server with weight 0, so existing connections finish (quiesce). */
  DRAIN,
  /** Disable: take the real server out of the table. */
  DISABLE
}
